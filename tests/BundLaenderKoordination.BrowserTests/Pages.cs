using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Shouldly;

namespace BundLaenderKoordination.BrowserTests;

/// <summary>Checks every page the tests visit: accessibility (axe-core) and a screenshot for the documentation.</summary>
public static class Pages
{
    /// <summary>
    /// Runs axe-core in the page (WCAG 2.1 A and AA rules) and fails on any serious or critical violation, naming the
    /// rule and the elements.
    /// </summary>
    public static async Task ShouldBeAccessible(this IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        result.Passes.ShouldNotBeEmpty("axe-core ran no checks");
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        serious.ShouldBeEmpty(string.Join("\n", serious.Select(v =>
            $"{v.Id} ({v.Impact}) on {page.Url}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>Fails when the page is wider than its window (a narrow screen would have to scroll sideways).</summary>
    public static async Task ShouldNotPushSideways(this IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[1], $"{page.Url} is {widths[0]} px wide at {widths[1]} px");
    }

    /// <summary>
    /// Saves a full-page screenshot: next to the test binaries, and into docs/screenshots when UPDATE_SCREENSHOTS=1
    /// (the committed pictures of the README).
    /// </summary>
    public static async Task Screenshot(this IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BundLaenderKoordination.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (BundLaenderKoordination.sln) was not found.");
    }
}
