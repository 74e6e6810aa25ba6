using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Verifier;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

/// <summary>
/// The Länder cosign the log: witnesses run as real processes (the built <c>blk-witness</c>), the service asks them to
/// cosign each checkpoint, serves their cosignatures with its checkpoints and bundles, and the offline verifier checks
/// the quorum with the witnesses' keys. A split view (another log of the same size, signed with the log's own key) is
/// refused by every witness, and a bundle of it lacks the quorum.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WitnessTests(AppFixture app) : IAsyncLifetime
{
    private const string Origin = "bund-laender-koordination/audit-log";
    private readonly List<WitnessProcess> _witnesses = [];
    private Alba.IAlbaHost _host = null!;
    private AuditScenario _audit = null!;
    private BouncyCastleEd25519Signer _logKey = null!;

    public async Task InitializeAsync()
    {
        // The log's key as the service holds it (the operator could sign anything with it: that is what witnesses are for).
        _logKey = new BouncyCastleEd25519Signer(Origin, Convert.FromBase64String((await File.ReadAllTextAsync(app.AuditKeyFile)).Trim()));
        foreach (var name in new[] { "witness.by.example/blk", "witness.he.example/blk", "witness.bund.example/blk" })
            _witnesses.Add(await WitnessProcess.CreateAsync(name));
        // Bayern and Hessen run theirs; the Bund's is down (its key is configured, it is never reached).
        await _witnesses[0].StartAsync(_logKey.VerifierKey);
        await _witnesses[1].StartAsync(_logKey.VerifierKey);

        _host = await app.StartHost("Development", settings: WitnessProcess.ServiceSettings("blk_witnessed_" + Guid.NewGuid().ToString("N")[..8], 2, _witnesses));
        _audit = new AuditScenario(_host, app.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        foreach (var witness in _witnesses) await witness.DisposeAsync();
    }

    private WitnessPolicy Policy(int quorum) => new(_witnesses.Select(w => w.Key).ToList(), quorum);

    /// <summary>Seals everything, then waits until the witnesses' cosignatures of the latest checkpoint make the quorum.</summary>
    private async Task<CheckpointWitnesses> SealAndWitness()
    {
        var issued = await _audit.SealEverything();
        return await WaitWitnessed(issued.TreeSize);
    }

    /// <summary>
    /// A bundle of all events whose latest checkpoint the quorum cosigned (the export signs a checkpoint first if anything
    /// was written since, such as the auditor's own sign-in; then it waits for the witnesses and exports again).
    /// </summary>
    private async Task<AuditBundle> WitnessedBundle()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var bundle = await _audit.ExportOverHttp();
            if (SignedNote.TryParse(bundle.Checkpoints[^1])!.Signatures.Count > 2) return bundle;
            await WaitWitnessed(Checkpoint.TryParse(SignedNote.TryParse(bundle.Checkpoints[^1])!.Text)!.Size);
        }
        throw new Xunit.Sdk.XunitException("No export carried a witnessed latest checkpoint.");
    }

    private async Task<CheckpointWitnesses> WaitWitnessed(long treeSize)
    {
        var api = new ApiClient(_host);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var response = await api.Send(HttpMethod.Get, $"/api/audit/witnesses?treeSize={treeSize}", null);
            api.Expect(response, 200);
            var witnesses = response.As<CheckpointWitnesses>();
            if (witnesses.Witnessed) return witnesses;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"The checkpoint of size {treeSize} was not witnessed within a minute.");
    }

    private static async Task<(int Status, string Body, string? ContentType)> AddCheckpoint(WitnessProcess witness, AddCheckpointRequest request)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(witness.Url + "/add-checkpoint", new StringContent(request.ToString(), Encoding.UTF8, "text/plain"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_service_collects_cosignatures_of_running_witnesses_and_the_verifier_checks_the_quorum_offline()
    {
        var negotiation = await _audit.FullNegotiation();
        var witnessed = await SealAndWitness();
        witnessed.Quorum.ShouldBe(2);
        witnessed.Cosignatures.Select(c => c.Witness).Order().ShouldBe(["witness.by.example/blk", "witness.he.example/blk"]);

        var bundle = await WitnessedBundle();
        // The checkpoint as served carries the log's signature and both cosignatures, each valid for its witness.
        var size = Checkpoint.TryParse(SignedNote.TryParse(bundle.Checkpoints[^1])!.Text)!.Size;
        var note = SignedNote.TryParse((await new ApiClient(_host).Send(HttpMethod.Get, $"/api/audit/checkpoints/{size}", null)).Body)!;
        note.Signatures.Select(s => s.KeyName).ShouldBe([Origin, "witness.by.example/blk", "witness.he.example/blk"]);
        _witnesses[0].Key.Verify(note.Text, note.Signatures[1]).ShouldNotBeNull();
        _witnesses[1].Key.Verify(note.Text, note.Signatures[2]).ShouldNotBeNull();

        var pinned = await _audit.PinnedKeys();
        var report = BundleVerifier.Verify(bundle, pinned, [negotiation.OlderCheckpoint], negotiation.Receipts, witnesses: Policy(2));
        report.Findings.ShouldBeEmpty();
        report.WitnessedBy!.Count.ShouldBe(2);
        // All three witnesses required: the Bund's is down, so this log is not witnessed by that quorum.
        BundleVerifier.Verify(bundle, pinned, witnesses: Policy(3)).Findings.Select(f => f.Code).ShouldBe([FindingCodes.CheckpointNotWitnessed]);

        // The command line, as an auditor runs it, with the witnesses' keys in one file.
        var folder = Directory.CreateTempSubdirectory("blk-witnessed-").FullName;
        var bundleFile = Path.Combine(folder, "bundle.json");
        await File.WriteAllTextAsync(bundleFile, System.Text.Json.JsonSerializer.Serialize(bundle, AuditJson.Options));
        await File.WriteAllTextAsync(Path.Combine(folder, "log.pub"), string.Join("\n", pinned) + "\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "witnesses.pub"), string.Join("\n", _witnesses.Select(w => w.Key)) + "\n");
        var output = new StringWriter();
        var exit = VerifyCommand.Run(["verify", bundleFile, "--key", Path.Combine(folder, "log.pub"), "--witness-key", Path.Combine(folder, "witnesses.pub")],
            output, new StringWriter());
        exit.ShouldBe(VerifyCommand.Clean, output.ToString());
        output.ToString().ShouldContain("latest checkpoint cosigned by 2 pinned witness(es)");
        output = new StringWriter();
        VerifyCommand.Run(["verify", bundleFile, "--key", Path.Combine(folder, "log.pub"), "--witness-key", Path.Combine(folder, "witnesses.pub"),
            "--witness-quorum", "3"], output, new StringWriter()).ShouldBe(VerifyCommand.Findings);
        output.ToString().ShouldContain(FindingCodes.CheckpointNotWitnessed);
        Directory.Delete(folder, recursive: true);

        // The witnesses kept the checkpoint they cosigned last, outside the service.
        foreach (var witness in _witnesses.Take(2))
            Directory.GetFiles(witness.StateDirectory, "*.checkpoint").ShouldHaveSingleItem();
    }

    /// <summary>
    /// Everywhere a checkpoint is handed out as proof it says which witnesses cosigned it and whether that makes the
    /// quorum: the inclusion proof, the vote receipt (once witnessed, the receipt carries a checkpoint the quorum
    /// cosigned), the checkpoint an auditor keeps (read by the verifier), and the list of the latest checkpoints.
    /// </summary>
    [Fact]
    public async Task Receipts_inclusion_proofs_and_kept_checkpoints_say_which_witnesses_cosigned_and_whether_the_quorum_is_met()
    {
        var negotiation = await _audit.FullNegotiation();
        var witnessed = await SealAndWitness();
        var api = new ApiClient(_host);
        var vote = negotiation.Receipts[^1];

        var proof = await api.Send(HttpMethod.Get, $"/api/audit/events/{vote.Seq}/inclusion-proof", await _audit.Auditor());
        api.Expect(proof, 200);
        var inclusion = proof.As<InclusionProofResponse>();
        inclusion.Witnesses!.Witnessed.ShouldBeTrue();
        inclusion.Witnesses.Quorum.ShouldBe(2);
        inclusion.Witnesses.Cosignatures.Select(c => c.Witness).Order().ShouldBe(["witness.by.example/blk", "witness.he.example/blk"]);
        SignedNote.TryParse(inclusion.Checkpoint)!.Signatures.Count.ShouldBe(3);

        // The receipt fetched again now carries a checkpoint the quorum cosigned; the verifier names its witnesses.
        var version = vote.Event["version"]!.GetValue<long>();
        var again = await api.Send(HttpMethod.Get, $"/api/resolutions/{vote.Resolution}/votes/{version}/receipt", await api.Representative(vote.Land));
        api.Expect(again, 200);
        var receipt = System.Text.Json.JsonSerializer.Deserialize<VoteReceipt>(again.Body, AuditJson.Options)!;
        var kept = await api.Send(HttpMethod.Get, $"/api/audit/checkpoints/{witnessed.TreeSize}", null);
        api.Expect(kept, 200);
        var bundle = await WitnessedBundle();
        var report = BundleVerifier.Verify(bundle, await _audit.PinnedKeys(), [kept.Body], [receipt], witnesses: Policy(2));
        report.Findings.ShouldBeEmpty();
        var ofReceipt = report.Witnessing!.Single(w => w.Source == CheckpointWitnessing.Receipt);
        ofReceipt.Seq.ShouldBe(vote.Seq);
        ofReceipt.QuorumMet.ShouldBeTrue();
        ofReceipt.CosignedBy.Count.ShouldBe(2);
        report.Witnessing!.Single(w => w.Source == CheckpointWitnessing.Kept).QuorumMet.ShouldBeTrue();
        // With all three witnesses required (the Bund's is down), the kept checkpoint and the receipt say: quorum not met.
        var strict = BundleVerifier.Verify(bundle, await _audit.PinnedKeys(), [kept.Body], [receipt], witnesses: Policy(3));
        strict.Witnessing!.ShouldAllBe(w => !w.QuorumMet);

        // The latest checkpoints, newest first, each with its witnesses and the time of their cosignatures.
        var list = await api.Send(HttpMethod.Get, "/api/audit/witnesses/checkpoints?limit=3", null);
        api.Expect(list, 200);
        var checkpoints = list.As<WitnessedCheckpointList>();
        checkpoints.Quorum.ShouldBe(2);
        checkpoints.Witnesses.Count.ShouldBe(3);
        checkpoints.Checkpoints.Count.ShouldBeInRange(1, 3);
        checkpoints.Checkpoints.Select(c => c.TreeSize).ShouldBeInOrder(SortDirection.Descending);
        var listed = checkpoints.Checkpoints.Single(c => c.TreeSize == witnessed.TreeSize);
        listed.Witnessed.ShouldBeTrue();
        listed.Cosignatures.ShouldAllBe(c => c.CosignedAt <= DateTimeOffset.UtcNow.AddMinutes(1) && c.CosignedAt >= DateTimeOffset.UtcNow.AddHours(-1));
        var refused = await api.Send(HttpMethod.Get, "/api/audit/witnesses/checkpoints?limit=0", null);
        refused.Status.ShouldBe(400, refused.Body);
    }

    /// <summary>
    /// The operator (holding the log's key) shows another log of the same size, one vote changed, resealed and re-signed:
    /// on its own it verifies clean; every witness refuses it as a fork; with the witnesses' keys the verifier reports that
    /// it is not witnessed.
    /// </summary>
    [Fact]
    public async Task A_split_view_is_refused_by_every_witness_and_the_forked_bundle_lacks_the_quorum()
    {
        var negotiation = await _audit.FullNegotiation();
        await SealAndWitness();
        var bundle = await WitnessedBundle();
        long size = bundle.Leaves.Count;

        // The second log: the last vote of Saarland changed to "no", its leaf recomputed, everything from it re-signed.
        var events = bundle.Events.Select(e => e.DeepClone().AsObject()).ToList();
        var forged = events.Where(e => e["type"]!.GetValue<string>() == "vote_cast").MaxBy(e => e["seq"]!.GetValue<long>())!;
        var seq = forged["seq"]!.GetValue<long>();
        forged["data"]!["choice"] = forged["data"]!["choice"]!.GetValue<string>() == "No" ? "Yes" : "No";
        var leaves = bundle.Leaves.ToList();
        leaves[(int)seq - 1] = Convert.ToBase64String(LeafDocument.Hash(forged));
        var tree = new MerkleTree(leaves.Select(Convert.FromBase64String));
        var forkNote = NoteSigning.Sign(new Checkpoint(Origin, size, tree.Root(), DateTimeOffset.UtcNow).Body(), _logKey).ToString();
        var older = bundle.Checkpoints.Where(n => Checkpoint.TryParse(SignedNote.TryParse(n)!.Text)!.Size < seq).ToList();
        var fork = bundle with { Leaves = leaves, Events = events, Checkpoints = [.. older, forkNote] };

        var pinned = await _audit.PinnedKeys();
        // Without the witnesses' keys the second log is as good as the first: nothing in it is inconsistent.
        BundleVerifier.Verify(fork, pinned).Findings.ShouldBeEmpty();
        // With them: not witnessed (checkpoint not witnessed).
        var report = BundleVerifier.Verify(fork, pinned, witnesses: Policy(2));
        report.Findings.Select(f => f.Code).ShouldBe([FindingCodes.CheckpointNotWitnessed]);
        report.WitnessedBy.ShouldBeEmpty();
        // The witnesses' cosignatures of the first log copied onto the second do not verify.
        var served = SignedNote.TryParse(bundle.Checkpoints[^1])!;
        var copied = Cosignatures.AddTo(forkNote, served.Signatures.Where(s => s.KeyName != Origin));
        BundleVerifier.Verify(fork with { Checkpoints = [.. older, copied] }, pinned, witnesses: Policy(2)).Findings.Select(f => f.Code).Distinct().Order()
            .ShouldBe([FindingCodes.CheckpointNotWitnessed, FindingCodes.CosignatureInvalid]);

        // The witness sees a fork: the same size with another root is refused (409), and so is a longer second log whose
        // own consistency proof starts from its own root, not from the one the witness cosigned (422).
        var longer = new MerkleTree(leaves.Select(Convert.FromBase64String).Append(Merkle.HashLeaf("noch ein Ereignis"u8)));
        var longerNote = NoteSigning.Sign(new Checkpoint(Origin, size + 1, longer.Root(), DateTimeOffset.UtcNow).Body(), _logKey).ToString();
        foreach (var witness in _witnesses.Take(2))
        {
            var same = await AddCheckpoint(witness, new AddCheckpointRequest(size, [], forkNote));
            same.Status.ShouldBe(409, same.Body);
            same.Body.ShouldContain("Fork");
            var extended = await AddCheckpoint(witness, new AddCheckpointRequest(size, longer.ConsistencyProof(size, size + 1), longerNote));
            extended.Status.ShouldBe(422, extended.Body);
            // A request from another size is told the size the witness holds.
            var stale = await AddCheckpoint(witness, new AddCheckpointRequest(0, [], forkNote));
            stale.Status.ShouldBe(409);
            stale.ContentType.ShouldBe(WitnessRules.SizeContentType);
            stale.Body.ShouldBe($"{size}\n");
            // The refused requests are kept as evidence; the witness still holds the first log and cosigns it again.
            Directory.GetFiles(Path.Combine(witness.StateDirectory, "evidence")).Length.ShouldBe(2);
            var again = await AddCheckpoint(witness, new AddCheckpointRequest(size, [], bundle.Checkpoints[^1]));
            again.Status.ShouldBe(200, again.Body);
            Cosignatures.Accept(served.Text, again.Body, witness.Key).ShouldHaveSingleItem();
        }
        // The service itself never signed the fork: its checkpoint of that size is still the witnessed one.
        var own = await new ApiClient(_host).Send(HttpMethod.Get, $"/api/audit/checkpoints/{size}", null);
        own.Body.ShouldStartWith(served.Text);
        negotiation.Receipts.ShouldNotBeEmpty();
    }
}
