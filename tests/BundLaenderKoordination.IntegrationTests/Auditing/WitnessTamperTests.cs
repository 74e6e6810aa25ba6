using BundLaenderKoordination.Api.Auditing;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using Wolverine;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

/// <summary>
/// The tamper matrix's witness cases: what the operator can do with the database and the log's own key, and what the
/// witnesses (real <c>blk-witness</c> processes of Bayern and Hessen) and the offline verifier with their keys make of it.
/// The operator rewrites a vote, recomputes its leaf and re-signs every checkpoint that holds it: without the witnesses'
/// keys that log verifies clean; with them its latest checkpoint is not witnessed, and a witness shown it refuses it as
/// a fork and keeps the request as evidence.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class WitnessTamperTests(AppFixture app) : IAsyncLifetime
{
    private const string Origin = "bund-laender-koordination/audit-log";
    private readonly List<WitnessProcess> _witnesses = [];
    private Alba.IAlbaHost _host = null!;
    private AuditScenario _audit = null!;
    private BouncyCastleEd25519Signer _logKey = null!;

    public async Task InitializeAsync()
    {
        _logKey = new BouncyCastleEd25519Signer(Origin, Convert.FromBase64String((await File.ReadAllTextAsync(app.AuditKeyFile)).Trim()));
        foreach (var name in new[] { "witness.by.example/blk", "witness.he.example/blk" })
        {
            var witness = await WitnessProcess.CreateAsync(name);
            _witnesses.Add(witness);
            await witness.StartAsync(_logKey.VerifierKey);
        }
        _host = await app.StartHost("Development", settings: WitnessProcess.ServiceSettings("blk_wtamper_" + Guid.NewGuid().ToString("N")[..8], 2, _witnesses));
        _audit = new AuditScenario(_host, app.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        foreach (var witness in _witnesses) await witness.DisposeAsync();
    }

    private WitnessPolicy Policy => new(_witnesses.Select(w => w.Key).ToList(), 2);

    private static BundleScope Resolution(Guid id) => new(BundleScope.Resolution, id.ToString("D"));

    /// <summary>A full negotiation, sealed, and its latest stored checkpoint cosigned by both witnesses.</summary>
    private async Task<Negotiation> NegotiatedAndWitnessed()
    {
        var negotiation = await _audit.FullNegotiation();
        var issued = await _audit.SealEverything();
        var api = new ApiClient(_host);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var response = await api.Send(HttpMethod.Get, "/api/audit/witnesses", null);
            api.Expect(response, 200);
            var latest = response.As<CheckpointWitnesses>();
            if (latest.Witnessed && latest.TreeSize >= issued.TreeSize) return negotiation;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException("The latest checkpoint was not witnessed within a minute.");
    }

    /// <summary>
    /// What the operator does as superuser with the log's key: the last vote's choice changed in its row, its leaf
    /// recomputed, every checkpoint holding it re-signed over the new roots, and the cosignatures that no longer verify
    /// deleted. Returns the size of the latest (re-signed) checkpoint.
    /// </summary>
    private async Task<long> RewriteLastVote(NpgsqlConnection c, Guid resolution)
    {
        var t = _audit.Tables;
        // Keep the sealer from signing while the checkpoints are rewritten.
        await AuditScenario.Sql(c, $"LOCK TABLE {t.Checkpoints} IN EXCLUSIVE MODE");
        var seq = await AuditScenario.Scalar(c, $"SELECT max(seq_id) FROM {t.Events} WHERE stream_id = @id AND type = 'vote_cast'", ("id", resolution));
        await AuditScenario.Sql(c, $"UPDATE {t.Events} SET data = jsonb_set(data, '{{choice}}', " +
                                   "to_jsonb((CASE WHEN data->>'choice' = 'No' THEN 'Yes' ELSE 'No' END)::text)) WHERE seq_id = @seq", ("seq", seq));
        var rewritten = (await EventRows.QueryAsync(c, t, "seq_id = @seq", p => p.AddWithValue("seq", seq), default)).Single();
        await AuditScenario.Sql(c, $"UPDATE {t.Leaves} SET leaf_hash = @hash WHERE seq = @seq", ("hash", LeafDocument.Hash(rewritten)), ("seq", seq));

        var leaves = new List<byte[]>();
        await using (var command = new NpgsqlCommand($"SELECT leaf_hash FROM {t.Leaves} ORDER BY leaf_index", c))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) leaves.Add((byte[])reader[0]);
        var tree = new MerkleTree(leaves);
        var notes = new List<string>();
        await using (var command = new NpgsqlCommand($"SELECT note FROM {t.Checkpoints} WHERE tree_size >= @seq", c))
        {
            command.Parameters.AddWithValue("seq", seq);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) notes.Add(reader.GetString(0));
        }
        notes.ShouldNotBeEmpty();
        foreach (var note in notes)
        {
            var old = Checkpoint.TryParse(SignedNote.TryParse(note)!.Text)!;
            var forged = new Checkpoint(Origin, old.Size, tree.Root(old.Size), old.Time);
            await AuditScenario.Sql(c, $"UPDATE {t.Checkpoints} SET note = @note, root_hash = @root WHERE tree_size = @size",
                ("note", NoteSigning.Sign(forged.Body(), _logKey).ToString()), ("root", forged.RootHash), ("size", old.Size));
        }
        await AuditScenario.Sql(c, $"DELETE FROM {t.Cosignatures} WHERE tree_size >= @seq", ("seq", seq));
        return await AuditScenario.Scalar(c, $"SELECT max(tree_size) FROM {t.Checkpoints}");
    }

    [Fact]
    public async Task A_log_rewritten_and_re_signed_with_the_log_key_is_clean_without_witness_keys_and_not_witnessed_with_them()
    {
        var negotiation = await NegotiatedAndWitnessed();
        var keys = await _audit.PinnedKeys();
        BundleVerifier.Verify(await _audit.ExportAfterTampering(Resolution(negotiation.Id), _ => Task.CompletedTask), keys, witnesses: Policy)
            .Findings.ShouldBeEmpty();

        var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), c => RewriteLastVote(c, negotiation.Id));
        AuditScenario.ShouldBeClean(BundleVerifier.Verify(bundle, keys));
        var report = BundleVerifier.Verify(bundle, keys, witnesses: Policy);
        report.Findings.Select(f => f.Code).ShouldBe([FindingCodes.CheckpointNotWitnessed]);
        report.WitnessedBy.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_witness_shown_the_re_signed_checkpoint_refuses_it_as_a_fork_and_keeps_the_request_as_evidence()
    {
        var negotiation = await NegotiatedAndWitnessed();
        long size;
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            size = await RewriteLastVote(connection, negotiation.Id);
            await transaction.CommitAsync();
        }

        // The service asks each witness to cosign the rewritten checkpoint, as it asks for every checkpoint it signs.
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            foreach (var witness in _witnesses) await bus.InvokeAsync(new RequestCosignature(witness.Key.ToString(), size));
        }
        foreach (var witness in _witnesses)
        {
            // Refused (409 fork, or 422 when it held an earlier size): the log-signed request is the evidence of the split view.
            var evidence = Directory.GetFiles(Path.Combine(witness.StateDirectory, "evidence")).ShouldHaveSingleItem();
            (await File.ReadAllTextAsync(evidence)).ShouldContain($"\n{size}\n");
        }

        var api = new ApiClient(_host);
        var answer = await api.Send(HttpMethod.Get, $"/api/audit/witnesses?treeSize={size}", null);
        api.Expect(answer, 200);
        answer.As<CheckpointWitnesses>().Witnessed.ShouldBeFalse();
        answer.As<CheckpointWitnesses>().Cosignatures.ShouldBeEmpty();

        var keys = await _audit.PinnedKeys();
        var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), _ => Task.CompletedTask);
        AuditScenario.ShouldBeClean(BundleVerifier.Verify(bundle, keys));
        BundleVerifier.Verify(bundle, keys, witnesses: Policy).Findings.Select(f => f.Code).ShouldBe([FindingCodes.CheckpointNotWitnessed]);
    }
}
