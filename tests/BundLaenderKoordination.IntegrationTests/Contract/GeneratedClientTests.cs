using BundLaenderKoordination.Client;
using BundLaenderKoordination.Client.Models;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.IntegrationTests.Operations;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Contract;

/// <summary>
/// The Kiota client generated from the checked-in document (src/BundLaenderKoordination.Client), used as a Land's system
/// would use it: nothing here speaks HTTP by hand. And the generated code is exactly what Kiota makes of the document.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class GeneratedClientTests(AppFixture app)
{
    private BundLaenderKoordinationClient Client(IAuthenticationProvider authentication)
    {
        var adapter = new HttpClientRequestAdapter(authentication, httpClient: app.Host.Server.CreateClient()) { BaseUrl = "http://localhost" };
        return new BundLaenderKoordinationClient(adapter);
    }

    /// <summary>A client signed in with a development identity, itself obtained through the client.</summary>
    private async Task<BundLaenderKoordinationClient> SignedIn(string name, string? land, string role)
    {
        var token = await Client(new AnonymousAuthenticationProvider()).Api.Dev.Tokens.PostAsync(
            new DevelopmentTokenRequest { Name = name, Land = land, Roles = [role] });
        token!.Token.ShouldNotBeNullOrEmpty();
        return Client(new BaseBearerTokenAuthenticationProvider(new StaticToken(token.Token!)));
    }

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default) => Task.FromResult(token);
    }

    private static void Typed(IAdditionalDataHolder model, string what) =>
        model.AdditionalData.Keys.ShouldBeEmpty($"{what}: every field of the answer is a typed property");

    [Fact]
    public async Task A_negotiation_through_the_generated_client_from_proposal_to_adoption_and_audit_trail()
    {
        var bavaria = await SignedIn("Vertretung DE-BY Client", "DE-BY", "representative");
        var saxony = await SignedIn("Vertretung DE-SN Client", "DE-SN", "representative");
        var chair = await SignedIn("Vorsitz DE-BY Client", "DE-BY", "chair");

        // The body that decides, and its rules, all typed.
        var body = await bavaria.Api.Bodies["D16"].GetAsync();
        Typed(body!, "body");
        body!.MatterRules!.ForEach(rule => Typed(rule.Rule!, "voting rule"));
        body.MatterRules.Select(r => r.MatterType).ShouldContain("default");

        // Proposal: a typed answer with id, version, text version and hash.
        var proposed = await bavaria.Api.Resolutions.PostAsync(new ProposeResolution
        {
            Body = "D16", Title = "Gemeinsame Plattform für Beschlüsse", Paragraphs = ["Die Länder nutzen eine Plattform.", "Der Bund wirkt mit."],
        });
        Typed(proposed!, "proposal");
        var id = proposed!.Id!.Value;
        proposed.TextVersion.ShouldBe(1);
        proposed.TextHash.ShouldNotBeNullOrEmpty();

        // Co-editing: another Land changes the first paragraph, keeping the ids it read.
        var read = await saxony.Api.Resolutions[id].GetAsync();
        Typed(read!, "resolution");
        var paragraphs = read!.Paragraphs!.Select(p => new ParagraphInput { Id = p.Id, Text = p.Text }).ToList();
        paragraphs[0].Text = "Die Länder und der Bund nutzen eine gemeinsame Plattform.";
        var edited = await saxony.Api.Resolutions[id].Text.PutAsync(new EditText { ExpectedVersion = proposed.Version, Paragraphs = paragraphs });
        edited!.TextVersion.ShouldBe(2);

        // A vote on the superseded text version: a typed problem with its type and the facts to recover.
        var stale = await Should.ThrowAsync<ProblemDetails>(() =>
            bavaria.Api.Resolutions[id].Votes.PostAsync(new CastVote { Choice = "yes", TextVersion = 1 }));
        stale.ResponseStatusCode.ShouldBe(409);
        stale.Type.ShouldBe("/problems/text-version-superseded");
        stale.Status.ShouldBe(409);
        stale.CurrentTextVersion.ShouldBe(2);
        stale.CurrentTextHash.ShouldBe(edited.TextHash);
        Typed(stale, "problem");

        // A stale edit too: the stream version it expected, and the current one.
        var staleEdit = await Should.ThrowAsync<ProblemDetails>(() =>
            bavaria.Api.Resolutions[id].Text.PutAsync(new EditText { ExpectedVersion = proposed.Version, Paragraphs = paragraphs }));
        staleEdit.Type.ShouldBe("/problems/stale-version");
        staleEdit.CurrentVersion.ShouldBe(edited.Version);

        // Thirteen Länder vote yes on the current text; the chair declares adoption.
        long version = edited.Version!.Value;
        foreach (var land in ApiClient.AllLaender.Take(13))
        {
            var representative = land == "DE-BY" ? bavaria : land == "DE-SN" ? saxony : await SignedIn($"Vertretung {land} Client", land, "representative");
            var vote = await representative.Api.Resolutions[id].Votes.PostAsync(new CastVote { Choice = "yes", TextVersion = 2 });
            Typed(vote!, "vote");
            vote!.Land.ShouldBe(land);
            version = vote.Version!.Value;
        }
        var adopted = await chair.Api.Resolutions[id].Adoption.PostAsync(new AdoptResolution { ExpectedVersion = version });
        adopted!.Version!.Value.ShouldBeGreaterThan(version);
        (await chair.Api.Resolutions[id].GetAsync())!.Status.ShouldBe(ResolutionStatus.Adopted);

        // The audit trail: who did what, for which Land, against which text.
        var trail = await chair.Api.Resolutions[id].AuditTrail.GetAsync();
        trail!.ForEach(entry => Typed(entry, "audit entry"));
        trail.Count.ShouldBe((int)adopted.Version!.Value, "one entry per event of the resolution's stream");
        trail.Select(e => e.EventType).Take(15).ShouldBe(["resolution_proposed", "resolution_text_edited", .. Enumerable.Repeat("vote_cast", 13)]);
        trail.Select(e => e.EventType).ShouldContain("resolution_adopted");
        trail[1].ActingFor.ShouldBe("DE-SN");
        trail[^1].TextHash.ShouldBe(edited.TextHash);
    }

    [Fact]
    public async Task The_checked_in_client_is_what_Kiota_generates_from_the_checked_in_document()
    {
        var root = OpsScripts.RepositoryRoot;
        var generated = Path.Combine(Path.GetTempPath(), $"blk-client-{Guid.NewGuid():N}");
        try
        {
            var (exit, output) = await OpenApiContractTests.Run("bash", [Path.Combine(root, "ops", "client.sh"), "generate", generated], root);
            exit.ShouldBe(0, output);
            var checkedIn = Path.Combine(root, "src", "BundLaenderKoordination.Client", "Generated");
            static Dictionary<string, string> Files(string directory) =>
                Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
                    .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"));
            var expected = Files(generated);
            var actual = Files(checkedIn);
            actual.Keys.Order().ShouldBe(expected.Keys.Order(), "run ops/client.sh generate and commit Generated/");
            expected.Where(f => actual[f.Key] != f.Value).Select(f => f.Key).ShouldBeEmpty("run ops/client.sh generate and commit Generated/");
        }
        finally
        {
            if (Directory.Exists(generated)) Directory.Delete(generated, recursive: true);
        }
    }
}
