using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Verifier;
using Npgsql;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

/// <summary>
/// What a database superuser can do to the event rows, and the exact finding the offline verifier reports for it.
/// Each case tampers inside a transaction that is rolled back after the export.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TamperTests(AppFixture app)
{
    private readonly AuditScenario _audit = new(app);
    private string Events => _audit.Tables.Events;

    private static BundleScope Resolution(Guid id) => new(BundleScope.Resolution, id.ToString("D"));
    private static readonly BundleScope All = new(BundleScope.All, null);

    private async Task<VerificationReport> Verify(AuditBundle bundle, Negotiation? negotiation = null, bool withKept = false) =>
        BundleVerifier.Verify(bundle, await _audit.PinnedKeys(),
            withKept ? [negotiation!.OlderCheckpoint] : null, withKept ? negotiation!.Receipts : null);

    private static void ShouldFind(VerificationReport report, string code, long? seq = null)
    {
        report.Clean.ShouldBeFalse();
        report.Findings.ShouldContain(f => f.Code == code && (seq == null || f.Seq == seq),
            $"expected {code}{(seq is null ? "" : " at " + seq)}, found:\n" + string.Join("\n", report.Findings.Select(f => $"{f.Code} {f.Seq} {f.Message}")));
    }

    private async Task<long> SeqOf(NpgsqlConnection connection, Guid id, string type, bool last = false) =>
        await AuditScenario.Scalar(connection,
            $"SELECT seq_id FROM {Events} WHERE stream_id = @id AND type = @type ORDER BY seq_id {(last ? "DESC" : "")} LIMIT 1", ("id", id), ("type", type));

    [Fact]
    public async Task The_untouched_bundle_verifies_clean_and_rollback_leaves_it_so()
    {
        var negotiation = await _audit.FullNegotiation();
        var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), _ => Task.CompletedTask);
        AuditScenario.ShouldBeClean(await Verify(bundle, negotiation, withKept: true));
    }

    [Fact]
    public async Task Updating_a_field_of_one_event_row_is_a_leaf_mismatch()
    {
        var negotiation = await _audit.FullNegotiation();
        long seq = 0;
        var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), async c =>
        {
            seq = await SeqOf(c, negotiation.Id, "vote_cast", last: true);
            await AuditScenario.Sql(c, $"UPDATE {Events} SET data = jsonb_set(data, '{{choice}}', '\"Yes\"') WHERE seq_id = @seq", ("seq", seq));
        });
        ShouldFind(await Verify(bundle), FindingCodes.LeafMismatch, seq);
    }

    [Fact]
    public async Task Deleting_an_event_row_is_a_missing_event_and_a_version_gap()
    {
        var negotiation = await _audit.FullNegotiation();
        long seq = 0;
        var bundle = await _audit.ExportAfterTampering(All, async c =>
        {
            seq = await SeqOf(c, negotiation.Id, "vote_cast");
            await AuditScenario.Sql(c, $"DELETE FROM {Events} WHERE seq_id = @seq", ("seq", seq));
        });
        var report = await Verify(bundle);
        ShouldFind(report, FindingCodes.EventMissing, seq);
        ShouldFind(report, FindingCodes.VersionGap);
    }

    [Fact]
    public async Task Deleting_a_whole_stream_makes_each_of_its_events_missing()
    {
        var negotiation = await _audit.FullNegotiation();
        var seqs = new List<long>();
        var bundle = await _audit.ExportAfterTampering(All, async c =>
        {
            await using (var command = new NpgsqlCommand($"SELECT seq_id FROM {Events} WHERE stream_id = @id", c))
            {
                command.Parameters.AddWithValue("id", negotiation.Id);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) seqs.Add(reader.GetInt64(0));
            }
            await AuditScenario.Sql(c, $"DELETE FROM {_audit.Tables.Streams} WHERE id = @id", ("id", negotiation.Id));
            await AuditScenario.Sql(c, $"DELETE FROM {Events} WHERE stream_id = @id", ("id", negotiation.Id));
        });
        var report = await Verify(bundle);
        report.Findings.Where(f => f.Code == FindingCodes.EventMissing).Select(f => f.Seq!.Value).Order().ShouldBe(seqs.Order());
    }

    [Fact]
    public async Task Swapping_two_sequence_numbers_is_a_leaf_mismatch_at_both()
    {
        var negotiation = await _audit.FullNegotiation();
        long a = 0, b = 0;
        var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), async c =>
        {
            a = await SeqOf(c, negotiation.Id, "vote_cast");
            b = await SeqOf(c, negotiation.Id, "vote_cast", last: true);
            await AuditScenario.Sql(c, $"UPDATE {Events} SET seq_id = -1 WHERE seq_id = @a; UPDATE {Events} SET seq_id = @a WHERE seq_id = @b; UPDATE {Events} SET seq_id = @b WHERE seq_id = -1",
                ("a", a), ("b", b));
        });
        var report = await Verify(bundle);
        ShouldFind(report, FindingCodes.LeafMismatch, a);
        ShouldFind(report, FindingCodes.LeafMismatch, b);
    }

    [Fact]
    public async Task A_back_dated_row_inserted_after_the_latest_checkpoint_is_unsealed()
    {
        var negotiation = await _audit.FullNegotiation();
        var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), c => InsertBackDatedVote(c, negotiation.Id));
        ShouldFind(await Verify(bundle), FindingCodes.EventUnsealed);
    }

    /// <summary>A service host on a log of its own (another schema), for cases that must commit their tampering.</summary>
    private Task<Alba.IAlbaHost> OwnLog(string schema) =>
        app.StartHost("Development", settings: new Dictionary<string, string> { ["Marten:Schema"] = schema });

    [Fact]
    public async Task A_back_dated_row_that_got_sealed_is_caught_by_its_time_before_an_earlier_checkpoint()
    {
        var schema = "blk_backdated_" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await OwnLog(schema);
        var audit = new AuditScenario(host, app.ConnectionString);
        var negotiation = await audit.FullNegotiation();
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await InsertBackDatedVote(connection, negotiation.Id, schema);
        }
        await audit.SealEverything();
        var report = BundleVerifier.Verify(await audit.ExportOverHttp($"?resolution={negotiation.Id}"), await audit.PinnedKeys());
        ShouldFind(report, FindingCodes.EventBackdated, await audit.MaxSeq());
    }

    [Fact]
    public async Task Restoring_an_older_backup_stops_the_service_signing_and_a_kept_checkpoint_reports_the_cut()
    {
        var schema = "blk_restored_" + Guid.NewGuid().ToString("N")[..8];
        Negotiation negotiation;
        string kept;
        await using (var host = await OwnLog(schema))
        {
            var audit = new AuditScenario(host, app.ConnectionString);
            negotiation = await audit.FullNegotiation();
            kept = (await audit.SealEverything()).Note;
        }

        // What restoring the backup taken at the older checkpoint leaves behind: events, leaves and checkpoints up to it.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await AuditScenario.Sql(connection,
                $"DELETE FROM {schema}.mt_events WHERE seq_id > @cut; DELETE FROM {schema}.audit_leaves WHERE leaf_index >= @cut; " +
                $"DELETE FROM {schema}.audit_checkpoints WHERE tree_size > @cut; UPDATE {schema}.audit_progress SET sealed_seq = @cut",
                ("cut", negotiation.OlderSize));
        }

        await using (var host = await OwnLog(schema))
        {
            var audit = new AuditScenario(host, app.ConnectionString);
            var api = new ApiClient(host);
            var refused = await api.Send(HttpMethod.Post, "/api/audit/checkpoints", await audit.Auditor());
            refused.Status.ShouldBe(503, refused.Body);
            refused.ProblemType.ShouldBe("/problems/audit-log-halted");

            var bundle = await audit.ExportOverHttp();
            var keys = await audit.PinnedKeys();
            ShouldFind(BundleVerifier.Verify(bundle, keys, [kept]), FindingCodes.Truncated);
        }
    }

    [Fact]
    public async Task Truncating_the_events_makes_every_sealed_event_missing()
    {
        var negotiation = await _audit.FullNegotiation();
        long expected = 0;
        var bundle = await _audit.ExportAfterTampering(All, async c =>
        {
            expected = await AuditScenario.Scalar(c, $"SELECT count(*) FROM {_audit.Tables.Leaves} WHERE kind = 'event' AND leaf_index < " +
                                                       $"(SELECT max(tree_size) FROM {_audit.Tables.Checkpoints})");
            await AuditScenario.Sql(c, $"TRUNCATE {Events} CASCADE");
        });
        var report = await Verify(bundle);
        report.Findings.Count(f => f.Code == FindingCodes.EventMissing).ShouldBe((int)expected);
        report.Findings.ShouldAllBe(f => f.Code == FindingCodes.EventMissing);
        negotiation.LastSeq.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Cutting_the_tail_of_events_leaves_and_checkpoints_is_caught_by_a_kept_checkpoint_and_by_a_receipt()
    {
        var negotiation = await _audit.FullNegotiation();
        var cut = negotiation.OlderSize;
        var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), async c =>
        {
            var t = _audit.Tables;
            await AuditScenario.Sql(c, $"DELETE FROM {Events} WHERE seq_id > @cut; DELETE FROM {t.Leaves} WHERE leaf_index >= @cut; " +
                                       $"DELETE FROM {t.Checkpoints} WHERE tree_size > @cut; UPDATE {t.Progress} SET sealed_seq = @cut", ("cut", cut));
        });
        var keys = await _audit.PinnedKeys();
        AuditScenario.ShouldBeClean(BundleVerifier.Verify(bundle, keys));
        var newerKept = negotiation.Receipts[^1].Checkpoint;
        ShouldFind(BundleVerifier.Verify(bundle, keys, [newerKept]), FindingCodes.Truncated);
        ShouldFind(BundleVerifier.Verify(bundle, keys, receipts: [negotiation.Receipts[^1]]), FindingCodes.Truncated);
    }

    [Fact]
    public async Task Checkpoints_re_signed_with_a_rogue_key_are_signed_by_an_unknown_key()
    {
        var negotiation = await _audit.FullNegotiation();
        var rogue = BouncyCastleEd25519Signer.Generate(_audit.Log.Origin);
        var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), async c =>
        {
            var notes = new List<(long Size, string Note)>();
            await using (var command = new NpgsqlCommand($"SELECT tree_size, note FROM {_audit.Tables.Checkpoints}", c))
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) notes.Add((reader.GetInt64(0), reader.GetString(1)));
            foreach (var (size, note) in notes)
                await AuditScenario.Sql(c, $"UPDATE {_audit.Tables.Checkpoints} SET note = @note WHERE tree_size = @size",
                    ("note", NoteSigning.Sign(SignedNote.TryParse(note)!.Text, rogue).ToString()), ("size", size));
        });
        var report = await Verify(bundle);
        ShouldFind(report, FindingCodes.KeyUnknown);
        ShouldFind(report, FindingCodes.NoCheckpoint);
    }

    [Fact]
    public async Task A_checkpoint_whose_text_was_edited_under_the_real_signature_has_an_invalid_signature()
    {
        var negotiation = await _audit.FullNegotiation();
        var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), async c =>
            await AuditScenario.Sql(c, $"UPDATE {_audit.Tables.Checkpoints} SET note = regexp_replace(note, 'time (\\d{{4}})', 'time 1999') " +
                                       $"WHERE tree_size = (SELECT max(tree_size) FROM {_audit.Tables.Checkpoints})"));
        ShouldFind(await Verify(bundle), FindingCodes.SignatureInvalid);
    }

    [Fact]
    public async Task A_receipt_whose_choice_was_edited_does_not_match()
    {
        var negotiation = await _audit.FullNegotiation();
        var bundle = await _audit.ExportOverHttp($"?resolution={negotiation.Id}");
        var receipt = negotiation.Receipts[0];
        var keys = await _audit.PinnedKeys();

        var statedOtherwise = receipt with { Choice = "no" };
        ShouldFind(BundleVerifier.Verify(bundle, keys, receipts: [statedOtherwise]), FindingCodes.ReceiptMismatch, receipt.Seq);

        var edited = (JsonObject)receipt.Event.DeepClone();
        edited["data"]!["choice"] = "No";
        var carriedOtherwise = receipt with { Choice = "no", Event = edited };
        ShouldFind(BundleVerifier.Verify(bundle, keys, receipts: [carriedOtherwise]), FindingCodes.ReceiptMismatch, receipt.Seq);
    }

    [Fact]
    public async Task The_verifier_command_exits_zero_only_for_a_clean_bundle_and_prints_typed_findings()
    {
        var negotiation = await _audit.FullNegotiation();
        var dir = Directory.CreateTempSubdirectory("blk-verify-");
        try
        {
            var keyFile = Path.Combine(dir.FullName, "log.pub");
            await File.WriteAllTextAsync(keyFile, (await app.Api.Send(HttpMethod.Get, "/api/audit/public-keys", null)).Body);
            var clean = Path.Combine(dir.FullName, "clean.json");
            await File.WriteAllTextAsync(clean, JsonSerializer.Serialize(await _audit.ExportOverHttp($"?resolution={negotiation.Id}"), AuditJson.Options));
            var kept = Path.Combine(dir.FullName, "kept.checkpoint");
            await File.WriteAllTextAsync(kept, negotiation.OlderCheckpoint);
            var receipt = Path.Combine(dir.FullName, "receipt.json");
            await File.WriteAllTextAsync(receipt, JsonSerializer.Serialize(negotiation.Receipts[0], AuditJson.Options));

            var (code, output) = Run("verify", clean, "--key", keyFile, "--checkpoint", kept, "--receipt", receipt);
            code.ShouldBe(0, output);
            output.ShouldContain("CLEAN");
            output.ShouldContain("DE-TH  abstain");

            var tampered = Path.Combine(dir.FullName, "tampered.json");
            var bundle = await _audit.ExportAfterTampering(Resolution(negotiation.Id), async c =>
                await AuditScenario.Sql(c, $"UPDATE {Events} SET data = jsonb_set(data, '{{land}}', '\"DE-BY\"') WHERE seq_id = @seq",
                    ("seq", negotiation.Receipts[0].Seq)));
            await File.WriteAllTextAsync(tampered, JsonSerializer.Serialize(bundle, AuditJson.Options));
            (code, output) = Run("verify", tampered, "--key", keyFile, "--json");
            code.ShouldBe(1);
            var report = JsonNode.Parse(output)!;
            report["clean"]!.GetValue<bool>().ShouldBeFalse();
            report["findings"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()).ShouldContain(FindingCodes.LeafMismatch);

            (code, _) = Run("verify", clean);
            code.ShouldBe(2);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = VerifyCommand.Run(args, output, error);
        return (code, output + error.ToString());
    }

    private static async Task InsertBackDatedVote(NpgsqlConnection c, Guid id, string? schema = null)
    {
        var events = schema is null ? "blk.mt_events" : schema + ".mt_events";
        var columns = new List<string>();
        await using (var command = new NpgsqlCommand(
                         "SELECT column_name FROM information_schema.columns WHERE table_schema = @s AND table_name = 'mt_events' ORDER BY ordinal_position", c))
        {
            command.Parameters.AddWithValue("s", events.Split('.')[0]);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        }
        var values = columns.Select(column => column switch
        {
            "seq_id" => $"nextval('{events.Split('.')[0]}.mt_events_sequence')",
            "id" => "gen_random_uuid()",
            "version" => $"(SELECT max(version) + 1 FROM {events} WHERE stream_id = @id)",
            "timestamp" => "timestamp - interval '3 days'",
            "data" => "jsonb_set(data, '{choice}', '\"No\"')",
            _ => column,
        });
        await AuditScenario.Sql(c,
            $"INSERT INTO {events} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM {events} " +
            $"WHERE stream_id = @id AND type = 'vote_cast' ORDER BY seq_id LIMIT 1; " +
            $"UPDATE {events.Replace("mt_events", "mt_streams")} SET version = version + 1 WHERE id = @id", ("id", id));
    }
}
