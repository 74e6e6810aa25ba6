namespace BundLaenderKoordination.Api.Auditing;

/// <summary>Settings of the audit log (section <c>Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The log's name, the first line of every checkpoint and the name of its signing key.</summary>
    public string Origin { get; set; } = "bund-laender-koordination/audit-log";

    /// <summary>Base64 of the 32-byte Ed25519 private key. Takes precedence over <see cref="KeyFile"/>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A file holding the base64 private key; in Development it is created under .data/ when missing.</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Where the service keeps a copy of the last checkpoint it signed, outside the database (default: next to the key
    /// file), suffixed with the log's id. On start the log must extend it; a database restored from an older backup or
    /// cut short is refused.
    /// </summary>
    public string? StateFile { get; set; }

    /// <summary>While there are new events, a checkpoint is signed at least this often.</summary>
    public double CheckpointIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// A missing sequence number is sealed as never used once no transaction that could still commit it is open
    /// (decided from PostgreSQL's locks, not by a timer). One still open after this long is logged as a warning.
    /// </summary>
    public double GapWarningSeconds { get; set; } = 30;

    public double PollIntervalSeconds { get; set; } = 0.25;

    public int BatchSize { get; set; } = 2000;
}
