using System.Security.Claims;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Auditing;

public sealed record CheckpointIssued(string Origin, long TreeSize, string RootHash, DateTimeOffset Time, string Note);

/// <summary>
/// Checkpoints and keys are public on purpose: everyone who keeps a copy of a checkpoint makes a later rewrite of the
/// history detectable.
/// </summary>
public static class LatestCheckpointEndpoint
{
    /// <summary>The latest signed checkpoint as a C2SP signed note (text/plain).</summary>
    [WolverineGet("/api/audit/checkpoint", OperationId = "getLatestCheckpoint"), Tags("Audit"), AllowAnonymous]
    [ProducesResponseType<string>(200, "text/plain")]
    public static async Task<IResult> Get(AuditTables tables, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var note = await AuditExport.ReadCheckpointAsync(connection, tables, null, ct);
        return note is null ? Problems.Missing("No checkpoint has been signed yet.").ToResult() : Results.Text(note, "text/plain; charset=utf-8");
    }
}

public static class CheckpointBySizeEndpoint
{
    /// <summary>The signed checkpoint of exactly that tree size (text/plain).</summary>
    [WolverineGet("/api/audit/checkpoints/{size}", OperationId = "getCheckpoint"), Tags("Audit"), AllowAnonymous]
    [ProducesResponseType<string>(200, "text/plain")]
    public static async Task<IResult> Get(long size, AuditTables tables, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var note = await AuditExport.ReadCheckpointAsync(connection, tables, size, ct);
        return note is null ? Problems.Missing($"No checkpoint was signed at tree size {size}.").ToResult() : Results.Text(note, "text/plain; charset=utf-8");
    }
}

public static class PublicKeysEndpoint
{
    /// <summary>The verifier key the service signs checkpoints with, one per line ("name+keyid+base64(algorithm || key)").</summary>
    [WolverineGet("/api/audit/public-keys", OperationId = "getAuditPublicKeys"), Tags("Audit"), AllowAnonymous]
    [ProducesResponseType<string>(200, "text/plain")]
    public static IResult Get(AuditLog log) => Results.Text(log.Key.VerifierKey + "\n", "text/plain; charset=utf-8");
}

public static class IssueCheckpointEndpoint
{
    /// <summary>Seals every settled event now and signs a checkpoint if the log grew (auditor, chair or admin).</summary>
    [WolverinePost("/api/audit/checkpoints", OperationId = "issueCheckpoint"), Tags("Audit")]
    [ProducesResponseType<CheckpointIssued>(200)]
    public static async Task<IResult> Post(ClaimsPrincipal user, AuditLog log, AuditTables tables, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (!caller.Has(Roles.Auditor) && !caller.Has(Roles.Admin) && caller.Mandates?.Any(m => m.Role == Roles.Chair) != true)
            return Problems.Forbid("Only auditors, chairs and admins ask for a checkpoint.").ToResult();
        var checkpoint = await log.CheckpointNowAsync(ct);
        if (log.Refusal is { } reason)
            return Problems.Make(Problems.AuditLogHalted, 503, "The audit log signs nothing more.", reason).ToResult();
        if (checkpoint is null) return Problems.Missing("The log is empty; there is nothing to sign.").ToResult();
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        var note = await AuditExport.ReadCheckpointAsync(connection, tables, checkpoint.Size, ct);
        return Results.Ok(new CheckpointIssued(checkpoint.Origin, checkpoint.Size, Convert.ToBase64String(checkpoint.RootHash), checkpoint.Time, note!));
    }
}
