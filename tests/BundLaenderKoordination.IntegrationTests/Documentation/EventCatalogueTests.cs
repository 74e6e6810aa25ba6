using System.Text.RegularExpressions;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Documentation;

/// <summary>Every event name the store knows is a contract with the rows already written: the catalogue lists each.</summary>
[Collection(AppCollection.Name)]
public sealed partial class EventCatalogueTests(AppFixture app)
{
    [Fact]
    public void Every_stored_event_name_is_in_the_event_catalogue()
    {
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var known = store.Options.Events.AllKnownEventTypes().Select(t => t.EventTypeName).ToHashSet();
        // Marten's own, registered only once a failed transaction made it write one.
        known.Add(BundLaenderKoordination.Api.Auditing.EventRows.TombstoneType);
        known.ShouldNotBeEmpty();

        var catalogue = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "events.md"));
        var documented = EventHeading().Matches(catalogue).Select(m => m.Groups[1].Value).ToHashSet();

        var missing = known.Except(documented).Order().ToList();
        missing.ShouldBeEmpty(
            $"docs/events.md needs a section \"### `name`\" with the fields of each of: {string.Join(", ", missing)}");
        var stale = documented.Except(known).Order().ToList();
        stale.ShouldBeEmpty($"docs/events.md describes events the store does not know: {string.Join(", ", stale)}");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BundLaenderKoordination.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("BundLaenderKoordination.sln not found above the test binaries");
    }

    [GeneratedRegex(@"^###\s+`([a-z0-9_]+)`", RegexOptions.Multiline)]
    private static partial Regex EventHeading();
}
