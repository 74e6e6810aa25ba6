using Wolverine.Http;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// Every POST command on <c>/api</c> accepts an <c>Idempotency-Key</c> header (IETF draft "The Idempotency-Key HTTP
/// Header Field"), through Wolverine's deduplicated responses: a repeat with the same key, by the same person, of the
/// same request (method, path, query and body bytes) is answered with the first answer (status, body, <c>Location</c>)
/// and appends nothing; the same key with another request is 422. The key and its answer are written inside the
/// command's own transaction (claim in transaction), so a commit cannot leave events without their key, nor a key
/// without its events. Keys are kept for <see cref="Window"/>. Without the header a command behaves as before.
/// Anonymous POSTs (the one-click unsubscribe of RFC 8058) take no key: with no person to scope it by, a stored answer
/// could be handed to anyone repeating the key, and what they do is idempotent by itself.
/// </summary>
public static class IdempotentCommands
{
    public const string Header = "Idempotency-Key";

    /// <summary>How long a key and its answer are kept; a repeat after that is a new request.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public static void AcceptIdempotencyKeys(this WolverineHttpOptions options) =>
        options.ConfigureEndpoints(chain =>
        {
            if (!chain.HttpMethods.Contains("POST") || chain.RoutePattern?.RawText?.StartsWith("/api/", StringComparison.Ordinal) != true) return;
            if (chain.Method.Method.IsDefined(typeof(Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute), inherit: true)
                || chain.Method.HandlerType.IsDefined(typeof(Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute), inherit: true)) return;
            chain.DeduplicatedWithResponse = new DeduplicatedWithResponseRequirement
            {
                // The person (the token's subject is the identity's name) and the route: nobody is answered with
                // another person's answer, and a key reused on another route is another request.
                Scope = DeduplicationScope.User | DeduplicationScope.Endpoint,
                Key = Header,
                Required = false,
                ClaimInTransaction = true,
            };
        });
}
