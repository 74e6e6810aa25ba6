namespace BundLaenderKoordination.Api.Identity;

/// <summary>
/// The parties a representative can act for: the 16 Länder (ISO 3166-2:DE) and the Bund.
/// The API accepts "BY" as well as "DE-BY"; only the ISO form is stored.
/// </summary>
public static class Lands
{
    public const string Bund = "BUND";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["DE-BW"] = "Baden-Württemberg",
        ["DE-BY"] = "Freistaat Bayern",
        ["DE-BE"] = "Berlin",
        ["DE-BB"] = "Brandenburg",
        ["DE-HB"] = "Freie Hansestadt Bremen",
        ["DE-HH"] = "Freie und Hansestadt Hamburg",
        ["DE-HE"] = "Hessen",
        ["DE-MV"] = "Mecklenburg-Vorpommern",
        ["DE-NI"] = "Niedersachsen",
        ["DE-NW"] = "Nordrhein-Westfalen",
        ["DE-RP"] = "Rheinland-Pfalz",
        ["DE-SL"] = "Saarland",
        ["DE-SN"] = "Freistaat Sachsen",
        ["DE-ST"] = "Sachsen-Anhalt",
        ["DE-SH"] = "Schleswig-Holstein",
        ["DE-TH"] = "Freistaat Thüringen",
        [Bund] = "Bundesrepublik Deutschland (Bund)",
    };

    public static IEnumerable<string> Laender => Names.Keys.Where(code => code != Bund);

    /// <summary>Maps "BY", "by", "DE-BY" to "DE-BY" and "Bund" to "BUND"; null when the code is unknown.</summary>
    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var upper = code.Trim().ToUpperInvariant();
        if (upper == Bund) return Bund;
        var iso = upper.StartsWith("DE-", StringComparison.Ordinal) ? upper : "DE-" + upper;
        return Names.ContainsKey(iso) ? iso : null;
    }

    public static string NameOf(string code) => Names.TryGetValue(code, out var name) ? name : code;
}
