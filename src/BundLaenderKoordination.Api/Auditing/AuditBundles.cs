using System.Security.Claims;
using System.Text.Json;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Audit;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Auditing;

public static class AuditBundleEndpoint
{
    /// <summary>
    /// The audit bundle (auditors only): the events of one resolution (<c>resolution</c>), of the resolutions of one body
    /// (<c>body</c>) or all, with every leaf hash, all signed checkpoints and the public keys, as one JSON file. A
    /// checkpoint is signed first so that everything settled is covered. Needs a recent sign-in (step-up, checked with the
    /// access rules). The file is written to the response while it is read from the database, not built in memory.
    /// </summary>
    [WolverineGet("/api/audit/bundle", OperationId = "exportAuditBundle"), Tags("Audit")]
    [ProducesResponseType<AuditBundle>(200)]
    public static async Task<IResult> Get(Guid? resolution, string? body, ClaimsPrincipal user, IQuerySession session, AuditLog log, AuditTables tables,
        TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        if (!Caller.From(user).Has(Roles.Auditor)) return Problems.Forbid("Only auditors export audit bundles.").ToResult();
        if (resolution is not null && body is not null) return Problems.Invalid("Name either a resolution or a body, not both.").ToResult();
        if (resolution is { } named && await Confidentiality.FindAsync(session, named, Caller.From(user), ct) is null)
            return Confidentiality.NotFound(named).ToResult();
        var scope = resolution is not null ? new BundleScope(BundleScope.Resolution, resolution.Value.ToString("D"))
            : body is not null ? new BundleScope(BundleScope.Body, body)
            : new BundleScope(BundleScope.All, null);

        await log.CheckpointNowAsync(ct);
        // The connection and its repeatable-read transaction live until the response is written: the bundle is written
        // to the response as its rows are read (AuditBundleStream), and the request disposes of them when it ends.
        var connection = new NpgsqlConnection(tables.ConnectionString);
        context.Response.RegisterForDisposeAsync(connection);
        await connection.OpenAsync(ct);
        var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        context.Response.RegisterForDisposeAsync(transaction);
        var hidden = await Confidentiality.HiddenAsync(session, Caller.From(user), null, ct);
        if (scope.Kind != BundleScope.All && !await AuditBundleStream.HasEventsAsync(connection, tables, scope, hidden, ct))
            return Problems.Missing(resolution is not null ? $"There is no resolution {resolution}." : $"Body {body} has no resolutions.").ToResult();
        var exportedAt = clock.GetUtcNow();
        var name = $"audit-bundle-{scope.Kind}{(scope.Value is null ? "" : "-" + scope.Value)}-{exportedAt:yyyyMMddTHHmmssZ}.json";
        var keys = new[] { log.Key.VerifierKey.ToString() };
        return Results.Stream(output => AuditBundleStream.WriteAsync(output, connection, tables, log.Origin, keys, scope, exportedAt, hidden, ct),
            "application/json", name);
    }
}

public sealed record WhoAgreedReport(long TreeSize, string Origin, IReadOnlyList<ResolutionSummary> Resolutions, IReadOnlyList<Finding> Findings)
{
    /// <summary>The proven votes, consents and objections whose author's passkey signature verifies (as the offline verifier checks it).</summary>
    public IReadOnlyList<SignedActSummary> SignedActs { get; init; } = [];
}

public static class WhoAgreedEndpoint
{
    /// <summary>
    /// Who agreed to what (auditors only): per resolution each Land's final vote with person, time and text hash, and
    /// whether that vote is proven (sealed, unchanged, in a checkpoint signed by the service's key). The same checks as
    /// the offline verifier, run on the database as it is now.
    /// </summary>
    [WolverineGet("/api/audit/who-agreed", OperationId = "getWhoAgreed"), Tags("Audit")]
    [ProducesResponseType<WhoAgreedReport>(200)]
    public static async Task<IResult> Get(Guid? resolution, string? body, ClaimsPrincipal user, IQuerySession session, AuditLog log, AuditTables tables,
        TimeProvider clock, CancellationToken ct)
    {
        if (!Caller.From(user).Has(Roles.Auditor)) return Problems.Forbid("Only auditors read the who-agreed-to-what report.").ToResult();
        if (resolution is { } named && await Confidentiality.FindAsync(session, named, Caller.From(user), ct) is null)
            return Confidentiality.NotFound(named).ToResult();
        var scope = resolution is not null ? new BundleScope(BundleScope.Resolution, resolution.Value.ToString("D"))
            : body is not null ? new BundleScope(BundleScope.Body, body)
            : new BundleScope(BundleScope.All, null);
        await using var connection = new NpgsqlConnection(tables.ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var hidden = await Confidentiality.HiddenAsync(session, Caller.From(user), null, ct);
        var bundle = await AuditExport.ReadBundleAsync(connection, tables, log.Origin, [], scope, clock.GetUtcNow(), ct, hidden);
        if (resolution is not null && bundle.Events.Count == 0) return Problems.Missing($"There is no resolution {resolution}.").ToResult();
        var report = BundleVerifier.Verify(bundle, [log.Key.VerifierKey]);
        return Results.Ok(new WhoAgreedReport(report.TreeSize, report.Origin, report.WhoAgreedToWhat, report.Findings) { SignedActs = report.SignedActs ?? [] });
    }
}
