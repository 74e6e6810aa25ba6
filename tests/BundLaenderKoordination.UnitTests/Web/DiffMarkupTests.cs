using System.Text.Encodings.Web;
using BundLaenderKoordination.Api.Resolutions;
using BundLaenderKoordination.Api.Web;
using Microsoft.AspNetCore.Http;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Web;

/// <summary>A diff on the pages spells the text exactly as its runs do: no space crept in before punctuation.</summary>
public sealed class DiffMarkupTests
{
    [Fact]
    public void Punctuation_after_an_unchanged_word_follows_it_without_a_space()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = "de";
        var l = new UiLanguage(new HttpContextAccessor { HttpContext = context });
        var runs = new[] { new DiffRun(RunKind.Unchanged, "bis zum 31"), new DiffRun(RunKind.Deleted, " Mai"), new DiffRun(RunKind.Inserted, "."), new DiffRun(RunKind.Unchanged, " Dann") };

        using var writer = new StringWriter();
        l.Runs(runs).WriteTo(writer, HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));

        writer.ToString().ShouldBe("bis zum 31<del><span class=\"visually-hidden\">[gestrichen:]</span> Mai</del>"
                                   + "<ins><span class=\"visually-hidden\">[eingefügt:]</span>.</ins> Dann");
    }
}
