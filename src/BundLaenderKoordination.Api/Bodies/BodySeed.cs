using BundLaenderKoordination.Api.Identity;
using Marten;
using Marten.Schema;

namespace BundLaenderKoordination.Api.Bodies;

/// <summary>
/// D16, the conference of the Länder digital ministers (press release of 24 Sept 2020): the 16 Länder vote,
/// the Bund sits as a guest without vote. 13 of 16 is the rule of the MPK; the D16 rule is not public, so this
/// is the configured default (docs/decisions.md).
/// </summary>
public sealed class BodySeed : IInitialData
{
    public static readonly Body D16 = new(
        "D16",
        "D16 – Konferenz der Digitalministerinnen und Digitalminister der Länder",
        [.. Lands.Laender.Select(land => new BodyMember(land, Voting: true)), new BodyMember(Lands.Bund, Voting: false)],
        AdoptionThreshold: 13);

    public async Task Populate(IDocumentStore store, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        session.Store(D16);
        await session.SaveChangesAsync(cancellation);
    }
}
