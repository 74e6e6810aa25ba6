namespace BundLaenderKoordination.LocalPostgres;

/// <summary>The PostgreSQL server binaries (initdb, pg_ctl, postgres) are not installed.</summary>
public sealed class PostgresBinariesMissingException : Exception
{
    public const string DefaultMessage =
        "The PostgreSQL server binaries (initdb, pg_ctl, postgres) were found neither on PATH nor in " +
        "/usr/lib/postgresql/<version>/bin. Install them with `apt-get update && apt-get install -y postgresql` " +
        "(Debian/Ubuntu; as root, or run `ops/local-postgres.sh ensure-binaries`), or set the connection string " +
        "to an existing PostgreSQL server instead.";

    public PostgresBinariesMissingException() : base(DefaultMessage) { }

    public PostgresBinariesMissingException(string message) : base(message) { }

    public PostgresBinariesMissingException(string message, Exception innerException) : base(message, innerException) { }
}
