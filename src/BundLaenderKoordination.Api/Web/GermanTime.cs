using System.Globalization;

namespace BundLaenderKoordination.Api.Web;

/// <summary>
/// The pages speak German local time (Europe/Berlin, with daylight saving time): they show "15.12.2026, 10:00 Uhr" and
/// read what a person types into a date-and-time field as the time on a clock in Germany. The service stores instants
/// (UTC) as before; only the pages convert.
/// </summary>
public static class GermanTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>The instant on a clock in Germany.</summary>
    public static DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    /// <summary>"15.12.2026, 10:00 Uhr"; in English "15 Dec 2026, 10:00 CET" (CEST in summer).</summary>
    public static string Format(DateTimeOffset at, bool english)
    {
        var local = Local(at);
        return english
            ? local.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + (Zone.IsDaylightSavingTime(local) ? " CEST" : " CET")
            : local.ToString("dd.MM.yyyy, HH:mm", CultureInfo.InvariantCulture) + " Uhr";
    }

    /// <summary>The value of a <c>datetime-local</c> field showing this instant in German local time.</summary>
    public static string InputValue(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Why a typed local time could not be read.</summary>
    public enum Problem
    {
        None,
        Missing,
        Unreadable,

        /// <summary>The hour the clocks skip when summer time begins (last Sunday of March, 02:00 to 03:00).</summary>
        Skipped,
    }

    /// <summary>
    /// Reads a date and time typed as German local time (<c>datetime-local</c>: "2027-03-30T10:00") into an instant. In the
    /// hour that occurs twice when summer time ends, the earlier one (still summer time) is meant; a time in the hour
    /// skipped when summer time begins does not exist and is refused.
    /// </summary>
    public static Problem TryRead(string? value, out DateTimeOffset at)
    {
        at = default;
        if (string.IsNullOrWhiteSpace(value)) return Problem.Missing;
        if (!DateTime.TryParseExact(value.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "dd.MM.yyyy HH:mm", "dd.MM.yyyy, HH:mm"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var typed))
            return Problem.Unreadable;
        var clock = DateTime.SpecifyKind(typed, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(clock)) return Problem.Skipped;
        var offset = Zone.IsAmbiguousTime(clock) ? Zone.GetAmbiguousTimeOffsets(clock).Max() : Zone.GetUtcOffset(clock);
        at = new DateTimeOffset(clock, offset).ToUniversalTime();
        return Problem.None;
    }

    /// <summary>What the pages say when a typed time cannot be read; <paramref name="whatDe"/> names the field ("den Beginn").</summary>
    public static string Explain(Problem problem, UiLanguage l, string whatDe, string whatEn) => problem switch
    {
        Problem.Skipped => l.T($"Diese Uhrzeit gibt es in Deutschland nicht: bei der Umstellung auf die Sommerzeit springen die Uhren von 2:00 auf 3:00 Uhr. Bitte {whatDe} neu angeben.",
            $"This time does not exist in Germany: when summer time begins, clocks jump from 2:00 to 3:00. Please give {whatEn} again."),
        _ => l.T($"Bitte {whatDe} als Datum und Uhrzeit (deutsche Zeit) angeben.", $"Please give {whatEn} as a date and time (German time)."),
    };
}
