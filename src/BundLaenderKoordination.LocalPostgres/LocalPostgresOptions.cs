namespace BundLaenderKoordination.LocalPostgres;

/// <summary>Where and how <see cref="LocalPostgresServer"/> runs a local PostgreSQL cluster.</summary>
public sealed record LocalPostgresOptions
{
    /// <summary>The cluster's data folder; initdb creates the cluster there when it holds none yet.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The database behind <see cref="LocalPostgresServer.ConnectionString"/>; created when missing.</summary>
    public string DatabaseName { get; init; } = "blk";

    /// <summary>
    /// True for test clusters: durability is switched off for speed (unless <see cref="Durable"/> says otherwise), the server is always stopped and the data
    /// folder and its log file are deleted on dispose. Prefer a folder under <see cref="Path.GetTempPath"/>.
    /// </summary>
    public bool Throwaway { get; init; }

    /// <summary>
    /// Whether the server runs with PostgreSQL's durability settings (fsync, synchronous_commit, full_page_writes on,
    /// as in production). Null (the default) follows <see cref="Throwaway"/>: off for a throwaway cluster, on for a
    /// persistent one. The benchmark sets it to measure a throwaway cluster with production durability.
    /// </summary>
    public bool? Durable { get; init; }

    /// <summary>The durability the server is started with: <see cref="Durable"/>, or not <see cref="Throwaway"/>.</summary>
    public bool IsDurable => Durable ?? !Throwaway;

    /// <summary>
    /// A login role the service connects as instead of the superuser: created (not a superuser, no CREATEDB, no
    /// CREATEROLE) with a random password kept in a 0600 file, allowed to connect to <see cref="DatabaseName"/> and
    /// owner of the schema <see cref="ServiceSchema"/> only. Null: <see cref="LocalPostgresServer.ConnectionString"/> is
    /// the superuser's (for throwaway test clusters).
    /// </summary>
    public string? ServiceRole { get; init; }

    /// <summary>The schema <see cref="ServiceRole"/> owns; created when missing.</summary>
    public string ServiceSchema { get; init; } = "blk";

    /// <summary>
    /// The folder around <see cref="DataDirectory"/> belongs to the caller (the service's own <c>.data</c>): the launcher
    /// makes it private (0700; run as root 0710 with group postgres, so the server's OS user can pass through it). False:
    /// a folder the launcher did not create is never changed.
    /// </summary>
    public bool OwnsParentDirectory { get; init; }

    /// <summary>The TCP port on 127.0.0.1; null picks a free one.</summary>
    public int? Port { get; init; }
}
