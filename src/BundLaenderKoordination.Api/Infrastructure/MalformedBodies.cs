using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// A JSON body of <c>null</c> reads without error as no command at all. This policy refuses it with 400 before anything
/// else of the endpoint runs, so no endpoint meets a missing command. Unreadable JSON (a string or an array where an
/// object belongs, a number sent as a string) is refused by the reader itself (<see cref="ExceptionProblems"/>).
/// </summary>
public sealed class NullBodyPolicy : IHttpPolicy
{
    private static readonly MethodInfo Check = typeof(NullBodyPolicy).GetMethod(nameof(Refuse))!;

    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType && !c.RequestType!.IsValueType))
            chain.Middleware.Insert(0, new MethodCall(typeof(NullBodyPolicy), Check.MakeGenericMethod(chain.RequestType!)));
    }

    public static ProblemDetails Refuse<T>(T? body) where T : class =>
        body is null
            ? Problems.Make(Problems.MalformedRequest, 400, "The request body could not be read.",
                "The body is null; send a JSON object of the documented shape (see /openapi/v1.json).")
            : WolverineContinue.NoProblems;
}
