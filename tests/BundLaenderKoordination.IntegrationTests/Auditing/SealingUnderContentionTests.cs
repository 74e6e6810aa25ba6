using System.Diagnostics;
using BundLaenderKoordination.IntegrationTests.Infrastructure;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Audit;
using Marten;
using Marten.Services;
using Npgsql;
using Shouldly;

namespace BundLaenderKoordination.IntegrationTests.Auditing;

/// <summary>
/// Concurrent writes to one resolution lose races, and every lost race leaves numbers of the global sequence unused.
/// The sealer must settle those gaps as soon as no transaction can fill them any more, not one by one after a timer.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SealingUnderContentionTests(AppFixture app)
{
    private readonly AuditScenario _audit = new(app);
    private ApiClient Api => app.Api;

    /// <summary>Generous for a loaded two-core machine; the sealer itself settles a gap within one poll (250 ms).</summary>
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Failed_writes_among_sixteen_Laender_voting_at_once_on_one_resolution_are_sealed_within_two_seconds_and_get_their_receipts()
    {
        var id = (await Api.Propose(await Api.Representative("DE-HB"), "Cloud-Strategie", "Die Länder nutzen eine gemeinsame Cloud.")).Id;
        var tokens = await Task.WhenAll(Api.Laender.Select(Api.Representative));
        var before = await _audit.MaxSeq();

        // Writes that fail after drawing sequence numbers (here: transactions that draw and roll back) run among the votes,
        // as failed appends do under load; every one leaves unused numbers between the votes.
        var failing = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++) await DrawAndRollBack(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 20)));
        })));

        // Three rounds of all sixteen voting at once (the last vote of a Land counts; votes queue on the stream's lock).
        var last = new List<(string Token, long Version)>();
        for (var round = 0; round < 3; round++)
        {
            var choice = round == 1 ? "no" : "yes";
            var responses = await Task.WhenAll(tokens.Select(token => Task.Run(async () => (token, await Api.Vote(id, token, choice, 1)))));
            responses.ShouldAllBe(r => r.Item2.Status == 200);
            last = responses.Select(r => (r.token, r.Item2.Json["version"]!.GetValue<long>())).ToList();
        }
        await failing;
        var voted = Stopwatch.StartNew();
        (await app.StreamVersion(id)).ShouldBe(1 + 3 * 16);
        var gaps = await GapsAfter(before);
        gaps.ShouldBeGreaterThan(0, "no number was left unused, so the test proves nothing about gaps");

        // The Land whose vote came last gets its receipt at once, without waiting for a periodic checkpoint.
        var (lastToken, lastVersion) = last.MaxBy(v => v.Version);
        while (true)
        {
            var receipt = await Api.Send(HttpMethod.Get, $"/api/resolutions/{id}/votes/{lastVersion}/receipt", lastToken);
            if (receipt.Status == 200) break;
            receipt.Status.ShouldBe(409, receipt.Body);
            voted.Elapsed.ShouldBeLessThan(Promise, "the receipt of the last vote was not available in time");
            await Task.Delay(50);
        }
        await EverythingSealedWithin(Promise, before);
    }

    [Fact]
    public async Task Two_clients_commenting_two_hundred_times_each_on_one_resolution_are_sealed_within_two_seconds()
    {
        var id = (await Api.Propose(await Api.Representative("DE-SN"), "Barrierefreiheit", "Die Länder prüfen ihre Portale.")).Id;
        var writers = new[] { await Api.Representative("DE-ST"), await Api.Representative("DE-MV") };
        var before = await _audit.MaxSeq();

        await Task.WhenAll(writers.Select((token, w) => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
                // Comments queue on the resolution's lock: none loses a race, none is refused.
                Api.Expect(await Api.Comment(id, token, $"Anmerkung {w}-{i}.", "p1"), 201);
        })));

        (await app.StreamVersion(id)).ShouldBe(1 + 400);
        await EverythingSealedWithin(Promise, before);
    }

    [Fact]
    public async Task An_append_that_stays_open_is_waited_for_and_sealed_as_an_event_when_it_commits()
    {
        var id = (await Api.Propose(await Api.Representative("DE-BB"), "Geodaten", "Die Länder teilen Geodaten.")).Id;
        var token = await Api.Representative("DE-BB");

        // An append that has taken its sequence number but not committed (a slow transaction).
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var slow = app.Store.LightweightSession(SessionOptions.ForTransaction(transaction)))
        {
            slow.Events.Append(id, new CommentAdded(id, Guid.NewGuid(), "p1", "Langsame Anmerkung.", 1,
                new Actor("dev:langsam", "Langsam", "DE-BB", "representative"), DateTimeOffset.UtcNow));
            await slow.SaveChangesAsync();
        }
        var held = await HeldSequence(connection);

        // Later appends commit around it; the sealer must stop right before the open one and stay there.
        var other = (await Api.Propose(token, "Open Data", "Die Länder öffnen ihre Daten.")).Id;
        Api.Expect(await Api.Comment(other, token, "Einverstanden.", "p1"), 201);
        var waited = Stopwatch.StartNew();
        while (_audit.Log.TreeSize < held - 1 && waited.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50);
        _audit.Log.TreeSize.ShouldBe(held - 1);
        await Task.Delay(1500);
        _audit.Log.TreeSize.ShouldBe(held - 1, "the sealer went past an append that can still commit");

        await transaction.CommitAsync();
        var after = Stopwatch.StartNew();
        while (_audit.Log.TreeSize < held && after.Elapsed < Promise + TimeSpan.FromSeconds(5)) await Task.Delay(50);
        after.Elapsed.ShouldBeLessThan(Promise);
        _audit.Log.TreeSize.ShouldBeGreaterThanOrEqualTo(held);
        (await LeafKind(held)).ShouldBe("event");
    }

    [Fact]
    public async Task A_number_taken_by_a_transaction_that_rolls_back_is_sealed_as_unused_only_after_the_rollback()
    {
        var token = await Api.Representative("DE-SH");
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"SELECT nextval('{_audit.Tables.Schema}.mt_events_sequence')", connection, transaction))
        {
            var held = (long)(await take.ExecuteScalarAsync())!;
            var id = (await Api.Propose(token, "Registermodernisierung", "Die Länder modernisieren ihre Register.")).Id;
            Api.Expect(await Api.Comment(id, token, "Gut.", "p1"), 201);
            await Task.Delay(1500);
            _audit.Log.TreeSize.ShouldBe(held - 1, "the sealer went past a number that an open transaction holds");

            await transaction.RollbackAsync();
            var after = Stopwatch.StartNew();
            while (_audit.Log.TreeSize < held && after.Elapsed < Promise + TimeSpan.FromSeconds(5)) await Task.Delay(50);
            after.Elapsed.ShouldBeLessThan(Promise);
            _audit.Log.TreeSize.ShouldBeGreaterThanOrEqualTo(held);
            (await LeafKind(held)).ShouldBe("gap");
        }
    }

    [Fact]
    public async Task Numbers_of_a_failed_commit_that_Marten_fills_with_tombstones_are_sealed_as_unused_and_everything_verifies()
    {
        var token = await Api.Representative("DE-SH");
        var id = (await Api.Propose(token, "Onlinezugang", "Die Länder bieten ihre Leistungen online an.")).Id;
        var before = await _audit.MaxSeq();
        // The database refuses the comment's transaction at COMMIT, after the append drew its sequence number.
        await app.Sql($"""
            CREATE FUNCTION blk.refuse_comment_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.stream_id = '{id}' AND NEW.type = 'comment_added' THEN RAISE EXCEPTION 'commit refused for the test'; END IF;
              RETURN NEW;
            END $$;
            CREATE CONSTRAINT TRIGGER refuse_comment_commit AFTER INSERT ON blk.mt_events
              DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION blk.refuse_comment_commit();
            """);
        try
        {
            (await Api.Comment(id, token, "Wird nicht gespeichert.", "p1")).Status.ShouldBe(500);
        }
        finally
        {
            await app.Sql("DROP TRIGGER refuse_comment_commit ON blk.mt_events; DROP FUNCTION blk.refuse_comment_commit();");
        }
        // Marten writes its tombstones after the failed request, on a connection of its own.
        for (var waited = 0; waited < 100 && await Scalar<long>($"SELECT count(*) FROM {_audit.Tables.Events} WHERE type = 'tombstone' AND seq_id > {before}") == 0; waited++)
            await Task.Delay(50);
        Api.Expect(await Api.Comment(id, token, "Gespeichert.", "p1"), 201);

        await _audit.SealEverything();
        var tombstones = await Scalar<long>($"SELECT count(*) FROM {_audit.Tables.Events} WHERE type = 'tombstone' AND seq_id > {before}");
        tombstones.ShouldBeGreaterThan(0, "Marten wrote no tombstone, so the test proves nothing about them");
        (await Scalar<long>($"""
            SELECT count(*) FROM {_audit.Tables.Events} e JOIN {_audit.Tables.Leaves} l ON l.seq = e.seq_id
            WHERE e.type = 'tombstone' AND e.seq_id > {before} AND l.kind = 'gap'
            """)).ShouldBe(tombstones);
        var report = BundleVerifier.Verify(await _audit.ExportOverHttp(), await _audit.PinnedKeys());
        AuditScenario.ShouldBeClean(report);
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task DrawAndRollBack(TimeSpan held)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand($"SELECT nextval('{_audit.Tables.Schema}.mt_events_sequence')", connection, transaction);
        await command.ExecuteScalarAsync();
        await Task.Delay(held);
        await transaction.RollbackAsync();
    }

    private async Task<long> HeldSequence(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"SELECT max(seq_id) FROM {_audit.Tables.Events}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> LeafKind(long seq)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT kind FROM {_audit.Tables.Leaves} WHERE seq = @seq", connection);
        command.Parameters.AddWithValue("seq", seq);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until every number written after <paramref name="after"/> is sealed; then checks each leaf's delay.</summary>
    private async Task EverythingSealedWithin(TimeSpan promise, long after)
    {
        var target = await _audit.MaxSeq();
        var waited = Stopwatch.StartNew();
        while (_audit.Log.TreeSize < target)
        {
            waited.Elapsed.ShouldBeLessThan(promise + TimeSpan.FromSeconds(1),
                $"sealing stalled at {_audit.Log.TreeSize} of {target}");
            await Task.Delay(50);
        }

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        // An event's timestamp is the start of its transaction, before its commit: the delay measured is an upper bound.
        await using var command = new NpgsqlCommand($"""
            SELECT l.seq, l.kind, extract(epoch FROM l.sealed_at - e.timestamp)
            FROM {_audit.Tables.Leaves} l LEFT JOIN {_audit.Tables.Events} e ON e.seq_id = l.seq
            WHERE l.seq > @after AND l.seq <= @target ORDER BY l.seq
            """, connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("target", target);
        var late = new List<string>();
        var count = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            count++;
            if (reader.GetString(1) == "event" && reader.GetDouble(2) > promise.TotalSeconds)
                late.Add($"{reader.GetInt64(0)} after {reader.GetDouble(2):0.00} s");
        }
        count.ShouldBe((int)(target - after));
        late.ShouldBeEmpty();
    }

    private async Task<long> GapsAfter(long after)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT (max(seq_id) - @after) - count(*) FROM {_audit.Tables.Events} WHERE seq_id > @after", connection);
        command.Parameters.AddWithValue("after", after);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
