using Microsoft.AspNetCore.Http.Headers;

namespace BundLaenderKoordination.Api.Web;

/// <summary>
/// The language of the pages: German unless the reader chose English (cookie) or the browser prefers English over German.
/// Texts are written in place as German/English pairs, so that a page reads in both languages side by side.
/// </summary>
public sealed class UiLanguage(IHttpContextAccessor accessor)
{
    public const string Cookie = "blk-lang";

    private string? _code;

    public string Code => _code ??= Detect(accessor.HttpContext?.Request);

    public bool English => Code == "en";

    public string T(string german, string english) => English ? english : german;

    public static string Detect(HttpRequest? request)
    {
        if (request is null) return "de";
        if (request.Cookies.TryGetValue(Cookie, out var chosen) && chosen is "de" or "en") return chosen;
        foreach (var preference in new RequestHeaders(request.Headers).AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            var tag = preference.Value.Value ?? "";
            if (tag.StartsWith("de", StringComparison.OrdinalIgnoreCase)) return "de";
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return "en";
        }
        return "de";
    }
}
