using Marten;
using Marten.Services;
using Npgsql;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Marten's own logger writes every failed command at error level with its SQL, its parameters (names and texts of
/// people) and a stack trace, once per command of a batch. Under ordinary concurrent voting most failures are lost
/// races that are retried and succeed: those are logged at debug level, without parameters. Other failures stay errors,
/// with the SQL but never the parameters. A race finally refused is one warning, written where the 409 is answered.
/// </summary>
public sealed class MartenLogging(ILoggerFactory loggers) : IConfigureMarten
{
    public void Configure(IServiceProvider services, StoreOptions options) =>
        options.Logger(new Logger(loggers.CreateLogger("Marten")));

    private sealed class Logger(ILogger logger) : IMartenLogger, IMartenSessionLogger
    {
        public IMartenSessionLogger StartSession(IQuerySession session) => this;

        public void SchemaChange(string sql) => logger.LogInformation("Schema change: {Sql}", sql);

        public void LogSuccess(NpgsqlCommand command)
        {
        }

        public void LogSuccess(NpgsqlBatch batch)
        {
        }

        public void LogFailure(NpgsqlCommand command, Exception ex) => Failure(ex, command.CommandText);

        public void LogFailure(NpgsqlBatch batch, Exception ex) =>
            Failure(ex, string.Join("; ", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));

        public void LogFailure(Exception ex, string message) => Failure(ex, message);

        public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
        {
        }

        public void OnBeforeExecute(NpgsqlCommand command)
        {
        }

        public void OnBeforeExecute(NpgsqlBatch batch)
        {
        }

        private void Failure(Exception ex, string what)
        {
            if (Concurrency.IsConflict(ex))
                logger.LogDebug("Lost a race on a stream ({Reason}); the command decides again or answers 409", ex.Message);
            else
                logger.LogError(ex, "Marten command failed: {Sql}", what);
        }
    }
}
