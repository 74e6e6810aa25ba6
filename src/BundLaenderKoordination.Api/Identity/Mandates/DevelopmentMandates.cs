using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;

namespace BundLaenderKoordination.Api.Identity.Mandates;

/// <summary>
/// Development only: a development token for a representative or chair of a Land comes with that mandate in every body
/// the Land belongs to, granted and approved by two fixed development administrators, so local runs and tests need no
/// mandate administration first.
/// A different Land or role for the same name revokes the earlier mandate (again by both).
/// </summary>
public static class DevelopmentMandates
{
    private static readonly Actor Granting = new("dev:mandate-office", "Mandate office (development)", null, Roles.Admin);
    private static readonly Actor Approving = new("dev:mandate-approval", "Mandate approval (development)", null, Roles.Admin);

    public static async Task EnsureAsync(IDocumentStore store, string personId, string personName, string land, string role, DateTimeOffset now,
        CancellationToken ct)
    {
        IReadOnlyList<Body> bodies;
        await using (var query = store.QuerySession()) bodies = await query.Query<Body>().ToListAsync(ct);
        foreach (var body in bodies.Where(b => b.MemberFor(land) is not null))
            await EnsureAsync(store, body.Id, personId, personName, land, role, now, ct);
    }

    private static async Task EnsureAsync(IDocumentStore store, string body, string personId, string personName, string land, string role,
        DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = store.LightweightSession();
                session.LastModifiedBy = Granting.PersonId;
                var stream = await session.Events.FetchForWriting<MandateStream>(MandateStreams.Id(personId, body), ct);
                if (stream.Aggregate?.Current is { } current)
                {
                    if (current.Land == land && current.Role == role && stream.Aggregate.InEffect) return;
                    if (current.Status == MandateStatus.Pending)
                        stream.AppendOne(new MandateGrantWithdrawn(current.MandateId, personId, body, Granting, now));
                    else
                    {
                        if (current.Status == MandateStatus.Active)
                            stream.AppendOne(new MandateRevocationRequested(current.MandateId, personId, body, "New development identity", Granting, now));
                        stream.AppendOne(new MandateRevoked(current.MandateId, personId, body, Approving, now));
                    }
                }
                var mandateId = Guid.CreateVersion7();
                stream.AppendOne(new MandateGranted(mandateId, personId, personName, body, land, role, Granting, now));
                stream.AppendOne(new MandateApproved(mandateId, personId, body, Approving, now));
                await session.SaveChangesAsync(ct);
                return;
            }
            catch (Exception ex) when (Concurrency.IsConflict(ex) && attempt < 5)
            {
                // The same development identity was issued twice at once: the other request recorded the mandate.
            }
        }
    }
}
