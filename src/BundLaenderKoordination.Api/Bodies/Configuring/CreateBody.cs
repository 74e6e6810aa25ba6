using System.Security.Claims;
using System.Text.RegularExpressions;
using BundLaenderKoordination.Api.Bodies.GettingBody;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Bodies.Configuring;

public sealed partial record CreateBody(string? Code, string? Name, IReadOnlyList<MemberInput?>? Members,
    IReadOnlyDictionary<string, RuleInput?>? Rules, IReadOnlyList<ChairTermInput?>? ChairSchedule, WrittenProcedureInput? WrittenProcedure)
{
    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{0,19}$")]
    public static partial Regex CodePattern();
}

public static class CreateBodyEndpoint
{
    public static ProblemDetails Validate(CreateBody command)
    {
        if (command.Code is null || !CreateBody.CodePattern().IsMatch(command.Code))
            return Problems.Invalid("The code is 1 to 20 capital letters, digits or hyphens, such as \"D16\" or \"BL-KI\".");
        var (_, problem) = new BodyInput(command.Name, command.Members, command.Rules, command.ChairSchedule, command.WrittenProcedure).Parse();
        return problem is null ? WolverineContinue.NoProblems : Problems.Invalid(problem);
    }

    /// <summary>Creates a body with its members, voting rules per matter type, chair schedule and written procedure (administrators).</summary>
    [WolverinePost("/api/bodies", OperationId = "createBody"), Tags("Bodies")]
    [ProducesResponseType<BodyRead>(201)]
    public static async Task<IResult> Post(CreateBody command, ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (!caller.Has(Roles.Admin)) return Problems.Forbid("Only an administrator creates or configures bodies.").ToResult();
        var (configuration, _) = new BodyInput(command.Name, command.Members, command.Rules, command.ChairSchedule, command.WrittenProcedure).Parse();
        var id = Body.StreamIdFor(command.Code!);
        await using var session = store.LightweightSession();
        session.LastModifiedBy = caller.PersonId;
        if (await session.Events.FetchStreamStateAsync(id, ct) is not null)
            return Problems.Make(Problems.ConcurrentChange, 409, "The body exists.", $"There is a body '{command.Code}' already; configure it instead.").ToResult();
        var now = clock.GetUtcNow();
        var created = new BodyCreated(id, command.Code!, configuration!, caller.ActingAs(Roles.Admin), now);
        session.Events.StartStream<Body>(id, created);
        await session.SaveChangesAsync(ct);
        return Results.Created($"/api/bodies/{command.Code}", BodyRead.Of(Body.Fold([created])!, now, []));
    }
}
