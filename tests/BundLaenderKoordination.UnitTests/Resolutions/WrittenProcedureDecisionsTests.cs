using BundLaenderKoordination.Api.Bodies;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Resolutions.WrittenProcedures;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Resolutions;

public sealed class WrittenProcedureDecisionsTests
{
    private static readonly Body D16 = BodySeed.D16;
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly Caller Chair = new("dev:chair", "Vorsitz", "DE-BY", new HashSet<string> { Roles.Chair });
    private static Caller Representative(string land) => new("dev:" + land, "Vertretung " + land, land, new HashSet<string> { Roles.Representative });

    private static Resolution Apply(Resolution state, Decision decision)
    {
        decision.Refusal.ShouldBeNull();
        return decision.Events.Aggregate((Resolution?)state, Resolution.Next)!;
    }

    private static Resolution Started(Body body)
    {
        var proposed = Resolution.Fold([ResolutionDecisions.Propose(Guid.NewGuid(), body, "Titel", ["Text."], Representative("DE-RP"), Now).Events[0]])!;
        return Apply(proposed, WrittenProcedureDecisions.Start(proposed, body, Guid.NewGuid(), Now.AddDays(14), Chair, Now));
    }

    [Fact]
    public void In_explicit_mode_the_rule_must_be_met_by_consents_at_the_deadline()
    {
        var state = Started(D16);
        foreach (var land in Lands.Laender.Take(12)) state = Apply(state, WrittenProcedureDecisions.Consent(state, D16, Representative(land), Now));
        var notYet = WrittenProcedureDecisions.EndAtDeadline(state, state.WrittenProcedure!.Id, null, WrittenProcedureDeadlineHandler.Deadline, Now.AddDays(14));
        ((WrittenProcedureEnded)notYet.Events.Single()).Outcome.ShouldBe(WrittenProcedureOutcome.NotAdopted);

        state = Apply(state, WrittenProcedureDecisions.Consent(state, D16, Representative(Lands.Laender.ElementAt(12)), Now));
        var adopted = WrittenProcedureDecisions.EndAtDeadline(state, state.WrittenProcedure!.Id, null, WrittenProcedureDeadlineHandler.Deadline, Now.AddDays(14));
        adopted.Events.OfType<ResolutionAdopted>().Single().YesVotes.Count.ShouldBe(13);
    }

    [Fact]
    public void A_deadline_that_comes_after_the_procedure_ended_changes_nothing()
    {
        var state = Started(D16);
        var id = state.WrittenProcedure!.Id;
        state = Apply(state, WrittenProcedureDecisions.Object(state, D16, "Offene Fragen", null, Representative("DE-HE"), Now));
        state.WrittenProcedure.ShouldBeNull();
        state.Status.ShouldBe(ResolutionStatus.UnderNegotiation);
        WrittenProcedureDecisions.EndAtDeadline(state, id, null, WrittenProcedureDeadlineHandler.Deadline, Now.AddDays(14)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void No_ballot_opens_and_no_text_changes_while_a_written_procedure_runs()
    {
        var state = Started(D16);
        BallotDecisions.Open(state, D16, "default", Guid.NewGuid(), Chair, Now).Refusal!.Type.ShouldBe("/problems/written-procedure-running");
        ResolutionDecisions.EditText(state, D16, [new ParagraphEdit("p1", "Anders.")], Representative("DE-RP"), Now).Refusal!.Status.ShouldBe(409);
        WrittenProcedureDecisions.Consent(state, D16, Representative(Lands.Bund), Now).Refusal!.Status.ShouldBe(403);
    }
}
