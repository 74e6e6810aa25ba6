namespace BundLaenderKoordination.LocalPostgres;

/// <summary>Where and how <see cref="LocalPostgresServer"/> runs a local PostgreSQL cluster.</summary>
public sealed record LocalPostgresOptions
{
    /// <summary>The cluster's data folder; initdb creates the cluster there when it holds none yet.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The database behind <see cref="LocalPostgresServer.ConnectionString"/>; created when missing.</summary>
    public string DatabaseName { get; init; } = "blk";

    /// <summary>
    /// True for test clusters: durability is switched off for speed, the server is always stopped and the data
    /// folder and its log file are deleted on dispose. Prefer a folder under <see cref="Path.GetTempPath"/>.
    /// </summary>
    public bool Throwaway { get; init; }

    /// <summary>The TCP port on 127.0.0.1; null picks a free one.</summary>
    public int? Port { get; init; }
}
