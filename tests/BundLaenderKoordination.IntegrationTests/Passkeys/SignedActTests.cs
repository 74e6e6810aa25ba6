using System.Text.Json.Nodes;
using Alba;
using BundLaenderKoordination.Api.Resolutions.Proposing;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Auditing;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Tests.Shared;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Passkeys;

/// <summary>
/// A delegate signs their vote with their own passkey: registered on their device, approved by a second person, checked
/// by the service (Fido2) when the act is recorded and by the offline verifier afterwards. The service runs here with
/// the body settings enforced (<c>Signing:Enforce</c>), as in production; D16 requires signed acts.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SignedActTests(AppFixture app) : IAsyncLifetime
{
    private IAlbaHost _host = null!;
    private ApiClient Api { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await app.StartHost("Development", settings: new Dictionary<string, string> { ["Signing:Enforce"] = "true" });
        Api = new ApiClient(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<SoftwareAuthenticator> RegisterAndApprove(string token, string personId, bool approve = true)
    {
        var authenticator = new SoftwareAuthenticator();
        var begun = await Api.Send(HttpMethod.Post, "/api/passkeys/registration-options", token);
        Api.Expect(begun, 200);
        var registered = await Api.Send(HttpMethod.Post, "/api/passkeys", token, new
        {
            state = begun.Json["state"]!.GetValue<string>(),
            attestation = authenticator.Attest(begun.Json["options"]!.GetValue<string>()),
        });
        Api.Expect(registered, 201);
        registered.Json["status"]!.GetValue<string>().ShouldBe("pending");
        registered.Json["personId"]!.GetValue<string>().ShouldBe(personId);
        if (approve)
            Api.Expect(await Api.Send(HttpMethod.Post, $"/api/people/{Uri.EscapeDataString(personId)}/passkeys/{authenticator.CredentialIdText}/approval",
                await Api.Admin("Verwaltung Passkeys")), 200);
        return authenticator;
    }

    private static SignedActStatement VoteOn(ResolutionWritten resolution, string land, string choice, string? textHash = null) =>
        new(SignedActStatement.Vote, resolution.Id, land, choice, resolution.TextVersion, textHash ?? resolution.TextHash, null, SoftwareAuthenticator.NewNonce());

    private Task<Response> Vote(Guid id, string token, string choice, int textVersion, object? signature) =>
        Api.Send(HttpMethod.Post, $"/api/resolutions/{id}/votes", token, new { choice, textVersion, signature });

    private async Task<Response> Refused(Func<Task<Response>> command, Guid stream, int status, string type)
    {
        await using var session = _host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var before = await session.Events.QueryAllRawEvents().CountAsync();
        var response = await command();
        response.Status.ShouldBe(status, response.Body);
        response.ProblemType.ShouldBe(type, response.Body);
        (await session.Events.QueryAllRawEvents().CountAsync()).ShouldBe(before, "a refused act appends no event");
        return response;
    }

    [Fact]
    public async Task A_passkey_signs_votes_only_once_a_second_person_approved_it_and_never_after_its_revocation()
    {
        var bavaria = await Api.Representative("DE-BY");
        var personId = ApiClient.PersonId("Vertretung DE-BY");
        using var passkey = await RegisterAndApprove(bavaria, personId, approve: false);
        var resolution = await Api.Propose(bavaria, "Gemeinsame Cloud der Länder", "Die Länder betreiben eine gemeinsame Cloud.");

        // Four eyes: the owner cannot approve their own passkey; until a second person does, it signs nothing.
        (await Api.Send(HttpMethod.Post, $"/api/people/{Uri.EscapeDataString(personId)}/passkeys/{passkey.CredentialIdText}/approval", bavaria))
            .Status.ShouldBe(403);
        await Refused(() => Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, passkey.Sign(VoteOn(resolution, "DE-BY", "yes"))),
            resolution.Id, 422, "/problems/signature-invalid");
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/people/{Uri.EscapeDataString(personId)}/passkeys/{passkey.CredentialIdText}/approval",
            await Api.Admin("Verwaltung Passkeys")), 200);

        // D16 requires signed acts: an unsigned vote is refused and says what to sign.
        var unsigned = await Refused(() => Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, null), resolution.Id, 422, "/problems/signature-required");
        var offered = VoteOn(resolution, "DE-BY", "yes") with { Nonce = unsigned.Json["nonce"]!.GetValue<string>() };
        SignedActStatement.IsNonce(offered.Nonce).ShouldBeTrue();
        unsigned.Json["challenge"]!.GetValue<string>().ShouldBe(Base64UrlText.Encode(offered.Challenge()));
        unsigned.Json["statement"]!.GetValue<string>().ShouldBe(
            $"blk-signed-act/v2\nact vote\nresolution {resolution.Id}\nland DE-BY\nchoice yes\ntext-version {resolution.TextVersion}\n" +
            $"text-hash {resolution.TextHash}\nballot none\nnonce {offered.Nonce}\n");
        // A signature over another text (hash), another choice, or by another person's passkey does not hold for this vote.
        await Refused(() => Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, passkey.Sign(VoteOn(resolution, "DE-BY", "yes", textHash: new string('0', 64)))),
            resolution.Id, 422, "/problems/signature-invalid");
        await Refused(() => Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, passkey.Sign(VoteOn(resolution, "DE-BY", "no"))),
            resolution.Id, 422, "/problems/signature-invalid");
        var hesse = await Api.Representative("DE-HE");
        await Refused(() => Vote(resolution.Id, hesse, "yes", resolution.TextVersion, passkey.Sign(VoteOn(resolution, "DE-HE", "yes"))),
            resolution.Id, 422, "/problems/signature-invalid");

        // Signed over exactly this vote: recorded, with the assertion in the event.
        Api.Expect(await Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, passkey.Sign(VoteOn(resolution, "DE-BY", "yes"))), 200);
        await using (var session = _host.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var vote = (await session.Events.FetchStreamAsync(resolution.Id)).Select(e => e.Data).OfType<Api.Resolutions.VoteCast>().Single();
            vote.Signature.ShouldNotBeNull();
            vote.Signature!.CredentialId.ShouldBe(passkey.CredentialIdText);
            vote.CastBy.PersonId.ShouldBe(personId);
        }

        // Revoked: it signs nothing any more, even a correct statement.
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/people/{Uri.EscapeDataString(personId)}/passkeys/{passkey.CredentialIdText}/revocation", bavaria,
            new { reason = "Gerät verloren" }), 200);
        await Refused(() => Vote(resolution.Id, bavaria, "no", resolution.TextVersion, passkey.Sign(VoteOn(resolution, "DE-BY", "no"))),
            resolution.Id, 422, "/problems/signature-invalid");
        var listed = await Api.Send(HttpMethod.Get, $"/api/people/{Uri.EscapeDataString(personId)}/passkeys", await Api.Token("Prüfung Passkeys", null, "auditor"));
        Api.Expect(listed, 200);
        listed.Json.AsArray().Single()!["status"]!.GetValue<string>().ShouldBe("revoked");
    }

    [Fact]
    public async Task Consent_in_a_written_procedure_is_signed_like_a_vote()
    {
        var saxony = await Api.Representative("DE-SN");
        using var passkey = await RegisterAndApprove(saxony, ApiClient.PersonId("Vertretung DE-SN"));
        var resolution = await Api.Propose(saxony, "Umlauf zur Registermodernisierung", "Die Länder modernisieren ihre Register.");
        var started = await Api.Send(HttpMethod.Post, $"/api/resolutions/{resolution.Id}/written-procedure", await Api.Chair("DE-BY"), new { });
        Api.Expect(started, 201);
        var procedure = started.Json["procedureId"]!.GetValue<Guid>();
        var statement = new SignedActStatement(SignedActStatement.Consent, resolution.Id, "DE-SN", "consent", resolution.TextVersion, resolution.TextHash, procedure,
            SoftwareAuthenticator.NewNonce());

        await Refused(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{resolution.Id}/written-procedure/consent", saxony), resolution.Id, 422,
            "/problems/signature-required");
        Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{resolution.Id}/written-procedure/consent", saxony,
            new { signature = passkey.Sign(statement) }), 200);
    }

    [Fact]
    public async Task The_offline_verifier_names_who_signed_what_and_reports_a_forged_vote_and_a_signature_over_another_text()
    {
        var bavaria = await Api.Representative("DE-BY");
        using var passkey = await RegisterAndApprove(bavaria, ApiClient.PersonId("Vertretung DE-BY"));
        var resolution = await Api.Propose(bavaria, "Offene Schnittstellen", "Die Länder veröffentlichen ihre Schnittstellen.");
        Api.Expect(await Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, passkey.Sign(VoteOn(resolution, "DE-BY", "yes"))), 200);

        var audit = new AuditScenario(_host, app.ConnectionString);
        await audit.SealEverything();
        var keys = await audit.PinnedKeys();
        var d16 = new SignaturePolicy(new HashSet<string> { "D16" });
        var report = BundleVerifier.Verify(await audit.ExportOverHttp($"?resolution={resolution.Id}"), keys, signatures: d16);
        AuditScenario.ShouldBeClean(report);
        var signed = report.SignedActs!.ShouldHaveSingleItem();
        (signed.Act, signed.Land, signed.PersonId, signed.Choice, signed.TextHash, signed.CredentialId)
            .ShouldBe(("vote", "DE-BY", ApiClient.PersonId("Vertretung DE-BY"), "yes", resolution.TextHash, passkey.CredentialIdText));

        // Whoever holds the database logs a vote of Hesse that no one signed, and a vote of Bavaria whose signature was made
        // over another text; both get sealed like any other event.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            var otherText = passkey.Sign(VoteOn(resolution, "DE-BY", "yes", textHash: new string('0', 64)));
            await Forge(connection, audit.Tables.Events, resolution.Id,
                "jsonb_set(jsonb_set(data - 'signature', '{land}', '\"DE-HE\"'), '{castBy,personId}', '\"dev:vertretung-de-he\"')");
            await Forge(connection, audit.Tables.Events, resolution.Id,
                $"jsonb_set(data, '{{signature}}', '{System.Text.Json.JsonSerializer.Serialize(otherText, ApiClient.Json)}'::jsonb)");
        }
        await audit.SealEverything();
        var forged = BundleVerifier.Verify(await audit.ExportOverHttp($"?resolution={resolution.Id}"), keys, signatures: d16);
        forged.Clean.ShouldBeFalse();
        forged.Findings.ShouldContain(f => f.Code == FindingCodes.ActNotSigned && f.Message.Contains("DE-HE"));
        forged.Findings.ShouldContain(f => f.Code == FindingCodes.ActSignatureInvalid && f.Message.Contains("another statement"));
        forged.SignedActs!.ShouldHaveSingleItem().Seq.ShouldBe(signed.Seq);

        // Without a policy of their own the auditor still sees the unsigned vote, as a notice.
        var lenient = BundleVerifier.Verify(await audit.ExportOverHttp($"?resolution={resolution.Id}"), keys);
        lenient.Notices!.ShouldContain(f => f.Code == FindingCodes.ActNotSigned);
        lenient.Findings.ShouldNotContain(f => f.Code == FindingCodes.ActNotSigned);

        // The same with the command an auditor runs: the policy from the command line, the signers in its report.
        var dir = Directory.CreateTempSubdirectory("blk-verify-signed-");
        try
        {
            var (keyFile, bundleFile) = await AuditorFiles(dir, audit, resolution.Id);
            var output = new StringWriter();
            Verifier.VerifyCommand.Run(["verify", bundleFile, "--key", keyFile, "--require-signed-acts", "D16"], output, output).ShouldBe(1, output.ToString());
            output.ToString().ShouldContain("ACT_NOT_SIGNED");
            output.ToString().ShouldContain("ACT_SIGNATURE_INVALID");
            output.ToString().ShouldContain($"with passkey {passkey.CredentialIdText} [event {signed.Seq}]");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task An_assertion_counts_once_a_replayed_vote_is_refused_and_a_replayed_row_is_found_offline()
    {
        var bavaria = await Api.Representative("DE-BY");
        using var passkey = await RegisterAndApprove(bavaria, ApiClient.PersonId("Vertretung DE-BY"));
        var resolution = await Api.Propose(bavaria, "Wiederholte Signaturen", "Die Länder prüfen jede Signatur einmal.");
        var first = passkey.Sign(VoteOn(resolution, "DE-BY", "yes"));
        Api.Expect(await Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, first), 200);
        Api.Expect(await Vote(resolution.Id, bavaria, "no", resolution.TextVersion, passkey.Sign(VoteOn(resolution, "DE-BY", "no"))), 200);

        // The first assertion, sent again, would turn the vote back to "yes" without Bavaria signing anew: refused.
        var replayed = await Refused(() => Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, first), resolution.Id, 422,
            "/problems/signature-invalid");
        replayed.Json["detail"]!.GetValue<string>().ShouldContain("already signed an act of this resolution with this nonce");
        // An assertion without the nonce of its statement, or with a nonce too short to be random, is malformed.
        var statement = VoteOn(resolution, "DE-BY", "yes");
        var withoutNonce = passkey.Assert(statement.Challenge());
        (await Refused(() => Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, withoutNonce), resolution.Id, 400, "/problems/invalid-input"))
            .Json["detail"]!.GetValue<string>().ShouldContain("nonce");
        var shortNonce = statement with { Nonce = Base64UrlText.Encode(new byte[8]) };
        await Refused(() => Vote(resolution.Id, bavaria, "yes", resolution.TextVersion, passkey.Sign(shortNonce)), resolution.Id, 400, "/problems/invalid-input");

        // Whoever holds the database copies the signed "yes" row: the offline verifier finds the assertion used twice.
        var audit = new AuditScenario(_host, app.ConnectionString);
        await audit.SealEverything();
        var keys = await audit.PinnedKeys();
        AuditScenario.ShouldBeClean(BundleVerifier.Verify(await audit.ExportOverHttp($"?resolution={resolution.Id}"), keys));
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await Forge(connection, audit.Tables.Events, resolution.Id, "data");
        }
        await audit.SealEverything();
        var report = BundleVerifier.Verify(await audit.ExportOverHttp($"?resolution={resolution.Id}"), keys);
        var reused = report.Findings.ShouldHaveSingleItem();
        reused.Code.ShouldBe(FindingCodes.ActSignatureReused);
        reused.Message.ShouldContain($"event {report.SignedActs![0].Seq}");
        report.SignedActs.Count.ShouldBe(2, "the first yes and the no; the copy is not counted as signed");
    }

    [Fact]
    public async Task Protokollerklaerungen_are_signed_when_made_and_when_joined_and_the_verifier_names_their_signers()
    {
        // D16 adopts with 13 votes; each Land's delegate signs with a passkey of their own.
        var lands = ApiClient.AllLaender.Take(13).ToArray();
        var tokens = new Dictionary<string, string>();
        var passkeys = new Dictionary<string, SoftwareAuthenticator>();
        try
        {
            foreach (var land in lands)
            {
                tokens[land] = await Api.Representative(land);
                passkeys[land] = await RegisterAndApprove(tokens[land], ApiClient.PersonId($"Vertretung {land}"));
            }
            var resolution = await Api.Propose(tokens["DE-BY"], "Erklärungen mit Signatur", "Die Länder erklären sich zu Protokoll.");
            long version = 0;
            foreach (var land in lands)
            {
                var voted = await Vote(resolution.Id, tokens[land], "yes", resolution.TextVersion, passkeys[land].Sign(VoteOn(resolution, land, "yes")));
                Api.Expect(voted, 200);
                version = voted.Json["version"]!.GetValue<long>();
            }
            Api.Expect(await Api.Adopt(resolution.Id, await Api.Chair(), version), 200);

            // Making a Protokollerklärung: unsigned refused, with the statement to sign; it names the text by its hash, no id.
            const string text = "Bayern erklärt: Die Umsetzung erfolgt im Rahmen der verfügbaren Haushaltsmittel („Vorbehalt“).";
            var unsigned = await Refused(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{resolution.Id}/declarations", tokens["DE-BY"], new { text }),
                resolution.Id, 422, "/problems/signature-required");
            var attach = new SignedActStatement(SignedActStatement.Declaration, resolution.Id, "DE-BY", "attach", resolution.TextVersion, resolution.TextHash,
                null, unsigned.Json["nonce"]!.GetValue<string>(), Oracles.Sha256Hex(text));
            unsigned.Json["statement"]!.GetValue<string>().ShouldBe(
                $"blk-signed-act/v2\nact declaration\nresolution {resolution.Id}\nland DE-BY\nchoice attach\ntext-version {resolution.TextVersion}\n" +
                $"text-hash {resolution.TextHash}\ndeclaration none\ndeclaration-hash {Oracles.Sha256Hex(text)}\nnonce {attach.Nonce}\n");
            // A signature over another text of the declaration does not hold.
            await Refused(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{resolution.Id}/declarations", tokens["DE-BY"],
                new { text, signature = passkeys["DE-BY"].Sign(attach with { DeclarationHash = Oracles.Sha256Hex(text + " ") }) }), resolution.Id, 422,
                "/problems/signature-invalid");
            var made = await Api.Send(HttpMethod.Post, $"/api/resolutions/{resolution.Id}/declarations", tokens["DE-BY"],
                new { text, signature = passkeys["DE-BY"].Sign(attach) });
            Api.Expect(made, 201);
            var declaration = made.Json["declarationId"]!.GetValue<Guid>();

            // Joining it: Hesse signs the declaration's id and its text's hash.
            var join = new SignedActStatement(SignedActStatement.Declaration, resolution.Id, "DE-HE", "join", resolution.TextVersion, resolution.TextHash,
                declaration, SoftwareAuthenticator.NewNonce(), Oracles.Sha256Hex(text));
            await Refused(() => Api.Send(HttpMethod.Post, $"/api/resolutions/{resolution.Id}/declarations/{declaration}/joining", tokens["DE-HE"]),
                resolution.Id, 422, "/problems/signature-required");
            Api.Expect(await Api.Send(HttpMethod.Post, $"/api/resolutions/{resolution.Id}/declarations/{declaration}/joining", tokens["DE-HE"],
                new { signature = passkeys["DE-HE"].Sign(join) }), 200);

            var audit = new AuditScenario(_host, app.ConnectionString);
            await audit.SealEverything();
            var report = BundleVerifier.Verify(await audit.ExportOverHttp($"?resolution={resolution.Id}"), await audit.PinnedKeys(),
                signatures: new SignaturePolicy(new HashSet<string> { "D16" }));
            AuditScenario.ShouldBeClean(report);
            report.SignedActs!.Count(a => a.Act == "vote").ShouldBe(13);
            report.SignedActs!.Where(a => a.Act == "declaration").Select(a => (a.Land, a.Choice, a.Ballot))
                .ShouldBe([("DE-BY", "attach", (Guid?)null), ("DE-HE", "join", declaration)]);

            // The auditor pins the delegates' passkeys as the service lists them (each delegate confirms their own id): the
            // command proves every signature with them; with one delegate's passkey left out, that delegate's acts fail.
            var auditor = await Api.Token("Prüfung Erklärungen", null, "auditor");
            var listed = new JsonArray();
            foreach (var land in lands)
                foreach (var passkey in (await Api.Send(HttpMethod.Get, $"/api/people/{Uri.EscapeDataString(ApiClient.PersonId($"Vertretung {land}"))}/passkeys",
                             auditor)).Json.AsArray())
                    listed.Add(passkey!.DeepClone());
            var dir = Directory.CreateTempSubdirectory("blk-verify-pinned-");
            try
            {
                var (keyFile, bundleFile) = await AuditorFiles(dir, audit, resolution.Id);
                var all = Path.Combine(dir.FullName, "credentials.json");
                await File.WriteAllTextAsync(all, listed.ToJsonString());
                var output = new StringWriter();
                Verifier.VerifyCommand.Run(["verify", bundleFile, "--key", keyFile, "--credentials", all, "--require-signed-acts", "D16"], output, output)
                    .ShouldBe(0, output.ToString());
                output.ToString().ShouldContain("checked against the 13 credential(s) you pinned");
                var withoutHesse = Path.Combine(dir.FullName, "without-hesse.json");
                await File.WriteAllTextAsync(withoutHesse, new JsonArray(listed.Where(p => p!["personId"]!.GetValue<string>() != ApiClient.PersonId("Vertretung DE-HE"))
                    .Select(p => p!.DeepClone()).ToArray()).ToJsonString());
                output = new StringWriter();
                Verifier.VerifyCommand.Run(["verify", bundleFile, "--key", keyFile, "--credentials", withoutHesse], output, output).ShouldBe(1, output.ToString());
                output.ToString().Split('\n').Count(line => line.StartsWith("ACT_SIGNATURE_INVALID") && line.Contains("DE-HE")
                    && line.Contains("not among the credentials the auditor pinned")).ShouldBe(2, output.ToString());
            }
            finally
            {
                dir.Delete(true);
            }
        }
        finally
        {
            foreach (var passkey in passkeys.Values) passkey.Dispose();
        }
    }

    /// <summary>What an auditor hands the command-line verifier: the log's public key and the resolution's bundle, as files in <paramref name="dir"/>.</summary>
    private async Task<(string KeyFile, string BundleFile)> AuditorFiles(DirectoryInfo dir, AuditScenario audit, Guid resolution)
    {
        var keyFile = Path.Combine(dir.FullName, "log.pub");
        await File.WriteAllTextAsync(keyFile, (await Api.Send(HttpMethod.Get, "/api/audit/public-keys", null)).Body);
        var bundleFile = Path.Combine(dir.FullName, "bundle.json");
        await File.WriteAllTextAsync(bundleFile,
            System.Text.Json.JsonSerializer.Serialize(await audit.ExportOverHttp($"?resolution={resolution}"), AuditJson.Options));
        return (keyFile, bundleFile);
    }

    /// <summary>Appends a copy of the stream's first vote with <paramref name="data"/> as a new event row, as a database superuser could.</summary>
    private static async Task Forge(NpgsqlConnection c, string events, Guid id, string data)
    {
        var schema = events.Split('.')[0];
        var columns = new List<string>();
        await using (var command = new NpgsqlCommand(
                         "SELECT column_name FROM information_schema.columns WHERE table_schema = @s AND table_name = 'mt_events' ORDER BY ordinal_position", c))
        {
            command.Parameters.AddWithValue("s", schema);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        }
        var values = columns.Select(column => column switch
        {
            "seq_id" => $"nextval('{schema}.mt_events_sequence')",
            "id" => "gen_random_uuid()",
            "version" => $"(SELECT max(version) + 1 FROM {events} WHERE stream_id = @id)",
            "timestamp" => "now()",
            "data" => data,
            _ => column,
        });
        await AuditScenario.Sql(c,
            $"INSERT INTO {events} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM {events} " +
            $"WHERE stream_id = @id AND type = 'vote_cast' ORDER BY seq_id LIMIT 1; " +
            $"UPDATE {schema}.mt_streams SET version = version + 1 WHERE id = @id", ("id", id));
    }
}
