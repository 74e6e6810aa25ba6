using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

/// <summary>
/// What a written procedure records: its start with the body's mode and default rule and the deadline it schedules,
/// consents (each Land once), an objection that ends it at once, and its end at the deadline in either mode.
/// </summary>
public sealed class WrittenProcedureRecordTests
{
    private static readonly Body D16 = BodySeed.D16;
    private static readonly Body BundLaenderKi = Body.Fold([BodySeed.Created(BodySeed.BundLaenderKiPreset)])!;
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = Now.AddDays(14);
    private static readonly Actor Clock = new("system:deadline", "Frist", null, "system");
    private static Caller ChairOf(string land) => new("dev:chair", "Vorsitz", land, new HashSet<string> { Roles.Chair });
    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });
    private static Actor RepresentativeActor(string land) => new("dev:" + land, "Vertretung " + land, land, Roles.Representative);

    private static Resolution Proposed(Body body) =>
        Resolution.Fold([ResolutionDecisions.Propose(Guid.NewGuid(), body, "Titel", ["Text."], Representative("DE-RP"), Now).Events[0]])!;

    private static Resolution Apply(Resolution state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    private static Resolution Started(Body body, string chair, Guid id) =>
        Apply(Proposed(body), WrittenProcedureDecisions.Start(Proposed(body), body, id, Due, ChairOf(chair), Now));

    [Fact]
    public void A_start_records_the_mode_rule_members_and_text_and_schedules_the_deadline()
    {
        var state = Proposed(D16);
        var id = Guid.NewGuid();
        var decision = WrittenProcedureDecisions.Start(state, D16, id, Due, ChairOf("DE-BY"), Now);
        var started = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<WrittenProcedureStarted>();
        started.ShouldBe(started with
        {
            ResolutionId = state.Id, ProcedureId = id, Mode = WrittenProcedureMode.ExplicitConsent, MatterType = "default",
            Rule = VotingRule.AtLeastOf(13), RuleText = "atLeast:13", TextVersion = 1, TextHash = state.TextHash, Deadline = Due,
            StartedBy = new Actor("dev:chair", "Vorsitz", "DE-BY", Roles.Chair), StartedAt = Now,
        });
        started.Members.ShouldBe(D16.Members);
        decision.Scheduled.ShouldHaveSingleItem().ShouldBe(new ScheduledMessage(new WrittenProcedureDeadline(state.Id, id), Due));

        WrittenProcedureDecisions.Start(state, D16, id, Now, ChairOf("DE-BY"), Now).Refusal!.Type.ShouldBe(Problems.InvalidInput);
        WrittenProcedureDecisions.Start(state, D16, id, Now.AddSeconds(1), ChairOf("DE-BY"), Now).Refusal.ShouldBeNull();
        WrittenProcedureDecisions.Start(state, D16, id, Due, ChairOf("DE-HE"), Now).Refusal!.Status.ShouldBe(403);
    }

    [Fact]
    public void No_procedure_starts_beside_a_ballot_another_procedure_or_after_the_decision()
    {
        var withBallot = Apply(Proposed(D16), BallotDecisions.Open(Proposed(D16), D16, "default", Guid.NewGuid(), ChairOf("DE-BY"), Now));
        WrittenProcedureDecisions.Start(withBallot, D16, Guid.NewGuid(), Due, ChairOf("DE-BY"), Now).Refusal!.Type.ShouldBe(Problems.BallotOpen);

        var running = Started(D16, "DE-BY", Guid.NewGuid());
        var again = WrittenProcedureDecisions.Start(running, D16, Guid.NewGuid(), Due, ChairOf("DE-BY"), Now).Refusal!;
        again.Type.ShouldBe(Problems.WrittenProcedureRunning);
        again.Status.ShouldBe(409);
        again.Extensions["procedureId"].ShouldBe(running.WrittenProcedure!.Id);

        var rejected = Apply(withBallot, BallotDecisions.Close(withBallot, D16, ChairOf("DE-BY"), Now));
        WrittenProcedureDecisions.Start(rejected, D16, Guid.NewGuid(), Due, ChairOf("DE-BY"), Now).Refusal!.Type.ShouldBe(Problems.ResolutionClosed);
    }

    [Fact]
    public void A_consent_is_recorded_once_per_Land_on_the_text_of_the_procedure()
    {
        var state = Started(D16, "DE-BY", Guid.NewGuid());
        var consent = WrittenProcedureDecisions.Consent(state, D16, Representative("DE-HE"), Now).Events.ShouldHaveSingleItem();
        consent.ShouldBe(new WrittenConsentGiven(state.Id, state.WrittenProcedure!.Id, "DE-HE", 1, state.TextHash, RepresentativeActor("DE-HE"), Now));
        var after = Apply(state, Decision.Accept(consent));
        var twice = WrittenProcedureDecisions.Consent(after, D16, Representative("DE-HE"), Now);
        twice.Refusal.ShouldBeNull();
        twice.Events.ShouldBeEmpty();

        var none = WrittenProcedureDecisions.Consent(Proposed(D16), D16, Representative("DE-HE"), Now).Refusal!;
        none.Type.ShouldBe(Problems.NoWrittenProcedure);
        none.Status.ShouldBe(409);
        WrittenProcedureDecisions.Object(Proposed(D16), D16, "Nein", null, Representative("DE-HE"), Now).Refusal!.Type.ShouldBe(Problems.NoWrittenProcedure);
        WrittenProcedureDecisions.Object(state, D16, "Nein", null, Representative(Lands.Bund), Now).Refusal!.Status.ShouldBe(403);
    }

    [Fact]
    public void An_objection_ends_the_procedure_at_once_and_refers_the_matter_to_the_session()
    {
        var state = Started(D16, "DE-BY", Guid.NewGuid());
        foreach (var land in new[] { "DE-SN", "DE-BB" }) state = Apply(state, WrittenProcedureDecisions.Consent(state, D16, Representative(land), Now));
        var session = Guid.NewGuid();
        var decision = WrittenProcedureDecisions.Object(state, D16, "Offene Fragen", session, Representative("DE-HE"), Now);

        decision.Events.Count.ShouldBe(2);
        decision.Events[0].ShouldBe(new WrittenObjectionRaised(state.Id, state.WrittenProcedure!.Id, "DE-HE", "Offene Fragen", RepresentativeActor("DE-HE"), Now));
        var ended = decision.Events[1].ShouldBeOfType<WrittenProcedureEnded>();
        ended.ShouldBe(ended with
        {
            ResolutionId = state.Id, ProcedureId = state.WrittenProcedure.Id, Outcome = WrittenProcedureOutcome.Objected,
            Explanation = "Hessen objected: the matter goes to a session.", ReferredToSession = session, EndedBy = RepresentativeActor("DE-HE"), EndedAt = Now,
        });
        ended.Consents.ShouldBe(["DE-BB", "DE-SN"]);
        ended.Objections.ShouldBe(["DE-HE"]);
    }

    [Fact]
    public void In_explicit_mode_the_deadline_adopts_by_the_consents_or_refers_the_matter_to_the_session()
    {
        var state = Started(D16, "DE-BY", Guid.NewGuid());
        foreach (var land in Lands.Laender.Take(12)) state = Apply(state, WrittenProcedureDecisions.Consent(state, D16, Representative(land), Now));
        var session = Guid.NewGuid();

        var notAdopted = WrittenProcedureDecisions.EndAtDeadline(state, state.WrittenProcedure!.Id, session, Clock, Due).Events.ShouldHaveSingleItem()
            .ShouldBeOfType<WrittenProcedureEnded>();
        notAdopted.Outcome.ShouldBe(WrittenProcedureOutcome.NotAdopted);
        notAdopted.Consents.ShouldBe(Lands.Laender.Take(12).Order(StringComparer.Ordinal));
        notAdopted.Explanation.ShouldBe(
            "atLeast:13 not met by the deadline (12 yes of 16; at least 13 needed, an abstention is not a yes.): the matter goes to a session.");
        notAdopted.ReferredToSession.ShouldBe(session);
        notAdopted.EndedBy.ShouldBe(Clock);
        notAdopted.EndedAt.ShouldBe(Due);

        state = Apply(state, WrittenProcedureDecisions.Consent(state, D16, Representative(Lands.Laender.ElementAt(12)), Now));
        var decision = WrittenProcedureDecisions.EndAtDeadline(state, state.WrittenProcedure!.Id, session, Clock, Due);
        decision.Events.Count.ShouldBe(2);
        var ended = decision.Events[0].ShouldBeOfType<WrittenProcedureEnded>();
        ended.Outcome.ShouldBe(WrittenProcedureOutcome.Adopted);
        ended.Explanation.ShouldBe("13 yes of 16; at least 13 needed, an abstention is not a yes.");
        ended.ReferredToSession.ShouldBeNull();
        var adopted = decision.Events[1].ShouldBeOfType<ResolutionAdopted>();
        adopted.ShouldBe(adopted with
        {
            ResolutionId = state.Id, TextVersion = 1, TextHash = state.TextHash, Rule = "atLeast:13", AdoptedBy = Clock, AdoptedAt = Due, BallotId = null,
        });
        adopted.YesVotes.ShouldBe(Lands.Laender.Take(13).Order(StringComparer.Ordinal));
        adopted.NoVotes.ShouldBeEmpty();
        adopted.Abstentions.ShouldBeEmpty();

        WrittenProcedureDecisions.EndAtDeadline(state, Guid.NewGuid(), session, Clock, Due).Events.ShouldBeEmpty("the deadline of another procedure");
    }

    [Fact]
    public void In_silence_mode_the_ended_procedure_lists_the_consents_in_the_order_of_their_codes_not_of_their_arrival()
    {
        var state = Started(BundLaenderKi, Lands.Bund, Guid.NewGuid());
        foreach (var land in new[] { "DE-SH", "DE-BW", "DE-NI" })
            state = Apply(state, WrittenProcedureDecisions.Consent(state, BundLaenderKi, Representative(land), Now));

        var ended = WrittenProcedureDecisions.EndAtDeadline(state, state.WrittenProcedure!.Id, null, Clock, Due).Events[0].ShouldBeOfType<WrittenProcedureEnded>();
        ended.Consents.ShouldBe(["DE-BW", "DE-NI", "DE-SH"]);
    }

    [Fact]
    public void In_silence_mode_the_deadline_adopts_with_every_voting_member_unless_someone_objected()
    {
        var state = Started(BundLaenderKi, Lands.Bund, Guid.NewGuid());
        state.WrittenProcedure!.Mode.ShouldBe(WrittenProcedureMode.Silence);
        state = Apply(state, WrittenProcedureDecisions.Consent(state, BundLaenderKi, Representative("DE-HE"), Now));

        var decision = WrittenProcedureDecisions.EndAtDeadline(state, state.WrittenProcedure!.Id, Guid.NewGuid(), Clock, Due);
        decision.Events.Count.ShouldBe(2);
        var ended = decision.Events[0].ShouldBeOfType<WrittenProcedureEnded>();
        ended.ShouldBe(ended with
        {
            Outcome = WrittenProcedureOutcome.Adopted, Explanation = "No objection before the deadline: silence counts as consent.",
            ReferredToSession = null, EndedBy = Clock, EndedAt = Due,
        });
        ended.Consents.ShouldBe(["DE-HE"]);
        ended.Objections.ShouldBeEmpty();
        var adopted = decision.Events[1].ShouldBeOfType<ResolutionAdopted>();
        adopted.Rule.ShouldBe("silenceProcedure");
        adopted.YesVotes.ShouldBe(new[] { Lands.Bund }.Concat(Lands.Laender).Order(StringComparer.Ordinal).ToList());
        adopted.NoVotes.ShouldBeEmpty();
        adopted.AdoptedBy.ShouldBe(Clock);
    }
}
