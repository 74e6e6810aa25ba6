using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using BundLaenderKoordination.Api.History;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace BundLaenderKoordination.Api.Resolutions;

public static class ResolutionsConfiguration
{
    /// <summary>The stored event names: a contract with every event already written (docs/events.md).</summary>
    public static readonly IReadOnlyDictionary<Type, string> EventNames = new Dictionary<Type, string>
    {
        [typeof(ResolutionProposed)] = "resolution_proposed",
        [typeof(ResolutionTextEdited)] = "resolution_text_edited",
        [typeof(CommentAdded)] = "comment_added",
        [typeof(VoteCast)] = "vote_cast",
        [typeof(ResolutionAdopted)] = "resolution_adopted",
        [typeof(AmendmentProposed)] = "amendment_proposed",
        [typeof(AmendmentSupported)] = "amendment_supported",
        [typeof(AmendmentRevised)] = "amendment_revised",
        [typeof(AmendmentAccepted)] = "amendment_accepted",
        [typeof(AmendmentRejected)] = "amendment_rejected",
        [typeof(PassageBracketed)] = "passage_bracketed",
        [typeof(BracketAlternativeProposed)] = "bracket_alternative_proposed",
        [typeof(BracketResolved)] = "bracket_resolved",
        [typeof(BallotOpened)] = "ballot_opened",
        [typeof(BallotCancelled)] = "ballot_cancelled",
        [typeof(BallotClosed)] = "ballot_closed",
        [typeof(ResolutionRejected)] = "resolution_rejected",
        [typeof(WrittenProcedures.WrittenProcedureStarted)] = "written_procedure_started",
        [typeof(Positions.PositionRecorded)] = "position_recorded",
        [typeof(Positions.DeclarationAttached)] = "declaration_attached",
        [typeof(Positions.DeclarationJoined)] = "declaration_joined",
        [typeof(Positions.ResolutionWithdrawn)] = "resolution_withdrawn",
        [typeof(WrittenProcedures.WrittenConsentGiven)] = "written_consent_given",
        [typeof(WrittenProcedures.WrittenObjectionRaised)] = "written_objection_raised",
        [typeof(WrittenProcedures.WrittenProcedureEnded)] = "written_procedure_ended",
        [typeof(CommentReplied)] = "comment_replied",
        [typeof(CommentResolved)] = "comment_resolved",
        [typeof(CommentReopened)] = "comment_reopened",
        [typeof(ResolutionRestrictionChanged)] = "resolution_restriction_changed",
        [typeof(BallotDeadlineChanged)] = "ballot_deadline_changed",
    };

    public static void AddResolutions(this StoreOptions options)
    {
        foreach (var (type, name) in EventNames) options.Events.MapEventType(type, name);
        // Stored with every append, so a command reads one document instead of replaying the whole stream.
        options.Projections.Add(new ResolutionWriteModel(), ProjectionLifecycle.Inline);
        // Off the command path (decision 30): the read model, its snapshots and the search index are kept by Marten's
        // projection daemon, which Wolverine runs on one node of the cluster and moves when that node goes. Reads of one
        // resolution add the events the daemon has not applied yet, so a caller always reads their own write.
        options.Projections.Add(new ResolutionViewProjection(), ProjectionLifecycle.Async);
        options.Projections.Add(new ResolutionSnapshotProjection(), ProjectionLifecycle.Async);
        options.Schema.For<ResolutionSnapshot>();
        options.Projections.Add(new ResolutionSearchProjection(), ProjectionLifecycle.Async);
        options.Schema.For<ResolutionSearchEntry>().GinIndexJsonData();
    }
}

/// <summary>Folds a stream into the write model with the same <see cref="Resolution.Next"/> the unit tests use.</summary>
public sealed class ResolutionWriteModel : SingleStreamProjection<Resolution, Guid>
{
    public override Resolution? Evolve(Resolution? snapshot, Guid id, IEvent e) => Resolution.Next(snapshot, e.Data);
}
