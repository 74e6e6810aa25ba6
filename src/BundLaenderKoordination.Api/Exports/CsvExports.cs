using System.Globalization;
using BundLaenderKoordination.Api.History;
using BundLaenderKoordination.Api.Identity;
using BundLaenderKoordination.Api.Resolutions.GettingAuditTrail;
using BundLaenderKoordination.Api.Resolutions.GettingResolution;
using CsvHelper;

namespace BundLaenderKoordination.Api.Exports;

/// <summary>
/// The two CSV dialects: RFC 4180 (comma, CRLF, UTF-8 without BOM) and the one a German spreadsheet opens as it is
/// (semicolon, UTF-8 with BOM). Columns and values are the same in both; times are ISO 8601 in UTC.
/// </summary>
public enum CsvDialect
{
    Rfc4180,
    GermanSpreadsheet,
}

public static class CsvExports
{
    public const string MediaType = "text/csv; charset=utf-8; header=present";

    /// <summary>Reads <c>?dialect=</c>: absent or <c>rfc4180</c>, or <c>de</c> for the German spreadsheet; null when unknown.</summary>
    public static CsvDialect? Parse(string? dialect) => dialect?.Trim().ToLowerInvariant() switch
    {
        null or "" or "rfc4180" => CsvDialect.Rfc4180,
        "de" or "excel-de" => CsvDialect.GermanSpreadsheet,
        _ => null,
    };

    /// <summary>
    /// A table as CSV. In the spreadsheet dialect a text that a spreadsheet would run as a formula (=, +, -, @ first) is
    /// escaped by the library, since the file is meant to be opened there.
    /// </summary>
    public static byte[] Write(string[] header, IEnumerable<string?[]> rows, CsvDialect dialect)
    {
        var german = dialect == CsvDialect.GermanSpreadsheet;
        var options = CsvWriterOptions.Default with
        {
            Separator = german ? ';' : ',',
            WriteByteOrderMark = german,
            Injection = german ? CsvInjection.Escape : CsvInjection.None,
        };
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, options, leaveOpen: true))
        {
            csv.WriteHeader(header);
            foreach (var row in rows) csv.WriteRecord(row);
            csv.Flush();
        }
        return stream.ToArray();
    }

    public static readonly string[] VoteColumns =
        ["ballot", "land", "land_name", "choice", "person_id", "person_name", "role", "cast_at", "text_version", "text_hash"];

    public static IEnumerable<string?[]> Votes(BallotView ballot) =>
        ballot.Votes.Select(v => new[]
        {
            Number(ballot.Number), v.Land, Lands.NameOf(v.Land), v.Choice.ToString().ToLowerInvariant(), v.CastBy.PersonId, v.CastBy.Name,
            v.CastBy.Role, Instant(v.CastAt), Number(ballot.TextVersion), ballot.TextHash,
        });

    public static readonly string[] AuditColumns =
        ["version", "sequence", "event_type", "person_id", "person_name", "acting_for", "role", "at", "recorded_at", "summary", "text_version", "text_hash"];

    public static IEnumerable<string?[]> Audit(IEnumerable<AuditEntry> entries) =>
        entries.Select(e => new[]
        {
            Number(e.Version), Number(e.Sequence), e.EventType, e.PersonId, e.PersonName, e.ActingFor, e.Role, Instant(e.At), Instant(e.RecordedAt),
            e.Summary, Number(e.TextVersion), e.TextHash,
        });

    public static readonly string[] TimelineColumns =
        ["version", "sequence", "at", "kind", "label", "text", "person_id", "person_name", "acting_for", "acting_for_name", "role"];

    public static IEnumerable<string?[]> Timeline(IEnumerable<TimelineEntry> entries) =>
        entries.Select(e => new[]
        {
            Number(e.Version), Number(e.Sequence), Instant(e.At), e.Kind, e.Label, e.Text, e.By?.PersonId, e.By?.Name, e.By?.ActingFor,
            e.ActingForName, e.By?.Role,
        });

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 in UTC, to the millisecond.</summary>
    public static string Instant(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
