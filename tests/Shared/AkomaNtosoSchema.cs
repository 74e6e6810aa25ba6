using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace BundLaenderKoordination.Tests.Shared;

/// <summary>
/// The OASIS Akoma Ntoso 3.0 schema, read from <c>../shared/schemas/akoma-ntoso-3.0/</c> beside the repository root, as
/// an independent reader of what the service exports.
/// </summary>
public static class AkomaNtosoSchema
{
    private static readonly Lazy<XmlSchemaSet> Schemas = new(Load);

    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "..", "shared", "schemas", "akoma-ntoso-3.0");

    /// <summary>Every error of the schema validation (our own metadata in other namespaces is read laxly, as the schema says) of <paramref name="xml"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(string xml)
    {
        var problems = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas.Value, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read()) { }
        return problems;
    }

    public static IReadOnlyList<string> Validate(XDocument document) => Validate(document.Declaration + "\n" + document.ToString());

    private static XmlSchemaSet Load()
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        var file = Path.Combine(Directory, "akomantoso30.xsd");
        if (!File.Exists(file)) throw new FileNotFoundException("The Akoma Ntoso 3.0 schema is expected beside the repository root.", file);
        using (var reader = XmlReader.Create(file, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = new XmlUrlResolver() }))
            set.Add(null, reader);
        set.Compile();
        return set;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BundLaenderKoordination.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (BundLaenderKoordination.sln) was not found above " + AppContext.BaseDirectory);
    }
}
