using Npgsql;

namespace BundLaenderKoordination.Api.Auditing;

/// <summary>
/// The audit log's own tables, next to Marten's in the same schema. Leaf <c>leaf_index</c> holds sequence number
/// leaf_index + 1; progress, leaves and checkpoints are written in one transaction each. <c>audit_progress.log_id</c>
/// names the log, so that the copy of its last checkpoint kept outside the database is found again.
/// </summary>
public sealed class AuditTables(string connectionString, string schema)
{
    public string ConnectionString { get; } = connectionString;
    public string Schema { get; } = schema;

    public string Events => $"{Schema}.mt_events";
    public string Streams => $"{Schema}.mt_streams";
    public string Leaves => $"{Schema}.audit_leaves";
    public string Progress => $"{Schema}.audit_progress";
    public string Checkpoints => $"{Schema}.audit_checkpoints";
    public string Keys => $"{Schema}.audit_keys";
    public string Cosignatures => $"{Schema}.audit_cosignatures";

    public async Task EnsureAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        // A runtime role without DDL rights (ops/db-roles.sql) finds the tables made by the migration role.
        await using (var exists = new NpgsqlCommand(
                         $"SELECT to_regclass('{Progress}') IS NOT NULL AND to_regclass('{Leaves}') IS NOT NULL AND to_regclass('{Checkpoints}') IS NOT NULL AND to_regclass('{Keys}') IS NOT NULL AND to_regclass('{Cosignatures}') IS NOT NULL " +
                         "AND EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = @schema AND table_name = 'audit_progress' AND column_name = 'log_id')",
                         connection))
        {
            exists.Parameters.AddWithValue("schema", Schema);
            if ((bool)(await exists.ExecuteScalarAsync(ct))!) return;
        }
        await using var command = new NpgsqlCommand($"""
            -- CREATE SCHEMA checks the right to create schemas even when it exists; a role that only owns it lacks that.
            DO $do$ BEGIN IF to_regnamespace('{Schema}') IS NULL THEN CREATE SCHEMA {Schema}; END IF; END $do$;
            CREATE TABLE IF NOT EXISTS {Progress} (id int PRIMARY KEY CHECK (id = 1), sealed_seq bigint NOT NULL, updated_at timestamptz NOT NULL);
            CREATE TABLE IF NOT EXISTS {Leaves} (leaf_index bigint PRIMARY KEY, seq bigint NOT NULL UNIQUE, kind text NOT NULL,
                stream_id uuid NULL, leaf_hash bytea NOT NULL, sealed_at timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS audit_leaves_stream ON {Leaves} (stream_id);
            CREATE TABLE IF NOT EXISTS {Checkpoints} (tree_size bigint PRIMARY KEY, root_hash bytea NOT NULL, issued_at timestamptz NOT NULL, note text NOT NULL);
            CREATE TABLE IF NOT EXISTS {Keys} (key_id text PRIMARY KEY, verifier_key text NOT NULL, algorithm text NOT NULL, first_used_at timestamptz NOT NULL);
            -- Cosignatures of witnesses, one per checkpoint and witness key, added to the checkpoint's note when it is served.
            CREATE TABLE IF NOT EXISTS {Cosignatures} (tree_size bigint NOT NULL, witness_key text NOT NULL, line text NOT NULL,
                cosigned_at timestamptz NOT NULL, received_at timestamptz NOT NULL, PRIMARY KEY (tree_size, witness_key));
            -- Identifies this log: a restored backup keeps it, a new database gets a new one.
            ALTER TABLE {Progress} ADD COLUMN IF NOT EXISTS log_id uuid NOT NULL DEFAULT gen_random_uuid();
            INSERT INTO {Progress} (id, sealed_seq, updated_at) VALUES (1, 0, now()) ON CONFLICT (id) DO NOTHING;
            """, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
