using System.Text.Json.Serialization;
using JasperFx.Events;
using Marten.Events.Projections;

namespace BundLaenderKoordination.Api.Identity.Mandates;

/// <summary>
/// All mandates of one person, one entry per body, kept inline with every mandate event and stored under the person's
/// id (the token's subject). A command reads it by that id in the same round trip as everything else it loads, so the
/// mandate check costs no round trip of its own and sees the mandates as of the command's own transaction.
/// </summary>
public sealed record PersonMandates(string Id, IReadOnlyList<MandateStream> Streams)
{
    [JsonIgnore]
    public IReadOnlyList<HeldMandate> InEffect =>
        Streams.Where(s => s.InEffect).Select(s => new HeldMandate(s.Body, s.Current!.Land, s.Current.Role)).ToList();

    public static PersonMandates? Next(PersonMandates? person, string personId, object e)
    {
        var body = e switch
        {
            MandateGranted g => g.Body,
            MandateApproved a => a.Body,
            MandateGrantWithdrawn w => w.Body,
            MandateRevocationRequested r => r.Body,
            MandateRevoked r => r.Body,
            _ => null,
        };
        if (body is null) return person;
        var streams = person?.Streams ?? [];
        var before = streams.FirstOrDefault(s => s.Body == body);
        var after = MandateStream.Next(before, e);
        if (after is null || ReferenceEquals(after, before)) return person ?? new PersonMandates(personId, []);
        return new PersonMandates(personId, [.. streams.Where(s => s.Body != body), after]);
    }
}

/// <summary>Groups the mandate events by the person they concern.</summary>
public sealed class PersonMandatesProjection : MultiStreamProjection<PersonMandates, string>
{
    public PersonMandatesProjection()
    {
        Identity<MandateGranted>(e => e.PersonId);
        Identity<MandateApproved>(e => e.PersonId);
        Identity<MandateGrantWithdrawn>(e => e.PersonId);
        Identity<MandateRevocationRequested>(e => e.PersonId);
        Identity<MandateRevoked>(e => e.PersonId);
    }

    public override PersonMandates? Evolve(PersonMandates? snapshot, string id, IEvent e) => PersonMandates.Next(snapshot, id, e.Data);
}

/// <summary>
/// On the first start after an upgrade that added <see cref="PersonMandates"/>, builds it from the mandate events
/// already stored (Marten's projection rebuild), so that commands find the mandates people already hold.
/// </summary>
public sealed class PersonMandatesBackfill(Marten.IDocumentStore store, ILogger<PersonMandatesBackfill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var session = store.QuerySession())
        {
            if (await Marten.QueryableExtensions.AnyAsync(session.Query<PersonMandates>(), cancellationToken)
                || !await Marten.QueryableExtensions.AnyAsync(session.Query<MandateStream>(), cancellationToken))
                return;
        }
        logger.LogInformation("Building the mandates by person from the stored mandate events (first start after an upgrade)");
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<PersonMandatesProjection>(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
