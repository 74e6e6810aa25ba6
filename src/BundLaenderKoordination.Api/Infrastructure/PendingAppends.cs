using Npgsql;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Tells, from PostgreSQL's own bookkeeping, whether a missing number in Marten's global event sequence can still be
/// filled. An append takes its sequence numbers with <c>nextval</c> inside its transaction, and PostgreSQL holds a lock
/// on the sequence from that moment until the transaction ends (commit or rollback). So once a reader has seen a
/// number above a missing one committed, the transaction that holds the missing one (if it still runs) is among the
/// holders of that lock at that moment: a <see cref="Fence"/> taken then. When none of the fence's transactions holds
/// the lock any more, the missing number either became visible or never will, and a fresh read tells which. No timer
/// decides, so a burst of rolled-back appends (lost races under concurrent voting) settles as soon as those
/// transactions are gone, all at once, and an append that is merely slow is always waited for.
/// </summary>
public static class PendingAppends
{
    /// <summary>The transactions (by virtual transaction id) that held the event sequence's lock when it was taken.</summary>
    public sealed record Fence(IReadOnlySet<string> Transactions, DateTimeOffset TakenAt)
    {
        public bool Empty => Transactions.Count == 0;

        /// <summary>True when none of the fence's transactions is still among <paramref name="holdersNow"/>.</summary>
        public bool DrainedBy(IReadOnlySet<string> holdersNow) => !Transactions.Overlaps(holdersNow);
    }

    /// <summary>The name of Marten's global event sequence in a schema.</summary>
    public static string SequenceOf(string schema) => $"{schema}.mt_events_sequence";

    /// <summary>
    /// The transactions other than the caller's own that hold a lock on the event sequence right now: appends that have
    /// taken sequence numbers and not yet committed or rolled back (prepared transactions included).
    /// </summary>
    public static async Task<IReadOnlySet<string>> HoldersAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT virtualtransaction FROM pg_locks
            WHERE locktype = 'relation' AND relation = to_regclass(@sequence) AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND pid IS DISTINCT FROM pg_backend_pid()
            """, connection);
        command.Parameters.AddWithValue("sequence", SequenceOf(schema));
        var holders = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (!reader.IsDBNull(0)) holders.Add(reader.GetString(0));
        return holders;
    }

    /// <summary>Takes a fence: call it after a read that saw a number above the missing ones committed.</summary>
    public static async Task<Fence> TakeAsync(NpgsqlConnection connection, string schema, DateTimeOffset now, CancellationToken ct) =>
        new(await HoldersAsync(connection, schema, ct), now);
}
