namespace BundLaenderKoordination.Api.Infrastructure;

/// <summary>
/// A path that no endpoint serves is 404 for everyone, signed in or not. Without this, the fallback authorization
/// policy would answer anonymous callers 401 for paths that do not exist (for example the development token route
/// outside Development).
/// </summary>
public static class UnknownRoutes
{
    public static void UseNotFoundForUnknownRoutes(this WebApplication app)
    {
        app.UseRouting();
        app.Use((context, next) => context.GetEndpoint() is null
            ? Problems.Missing($"There is no resource at {context.Request.Path}.").ToResult().ExecuteAsync(context)
            : next(context));
    }
}
