using BundLaenderKoordination.Tests.Shared;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using CsCheck;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// Mutates the files of a real small log (bundle, receipt, kept checkpoint, key file) and runs the verifier on them.
/// No exception may escape the readers, <see cref="BundleVerifier.Verify"/> or the command, the exit code is 0, 1 or 2,
/// and the verdict is never CLEAN when what a file says changed.
/// </summary>
/// <remarks>
/// "What a file says" is decided by an oracle independent of the verifier's reader: the files are parsed with
/// <see cref="JsonNode"/> and projected to what is hashed, signed or structural: every member name exactly; each event as
/// its RFC 8785 form with strings in NFC and LF (the tree canonicaliser of <see cref="TreeCanonicalJson"/>), since that
/// is what its leaf hash covers; the checkpoint notes, leaves and other values exactly as decoded JSON values; events,
/// gaps, redactions, checkpoints and public keys as multisets (their order carries no meaning); the bundle's
/// <c>exportedAt</c> only as "a string" (it is covered by nothing); a receipt's GUIDs and time by value and its texts in NFC
/// (it is compared so with the event). A kept checkpoint counts byte for byte, a key file as its set of non-empty lines.
/// A mutation that leaves that projection unchanged (insignificant whitespace, another spelling of an escape, reordered
/// events) may verify clean; any other must not, and when the result is clean its who-agreed report equals the
/// original's. A file the oracle cannot parse (duplicates, invalid UTF-8, trailing content) counts as changed.
/// </remarks>
public sealed class VerifierPropertyTests
{
    /// <summary>Fixed, so that a run in CI is the same run everywhere; a failure prints the seed of its case.</summary>
    private const string Seed = "0N0XIzNsQ0O2";
    /// <summary>
    /// 2000 cases (about 20 s). <c>FUZZ_ITERATIONS</c> lowers it for runs that repeat the test many times: the mutation
    /// run (<c>ops/mutation.sh</c>) runs it once per planted fault it reaches and sets 200.
    /// </summary>
    private static readonly int Iterations =
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out var iterations) && iterations > 0 ? iterations : 2000;

    private static readonly AuditSample.Files Sample = AuditSample.Build();

    private enum Target { Bundle, Receipt, Kept, Keys }

    private enum Op { FlipBit, ReplaceByte, Delete, DuplicateSpan, Truncate, InsertSpace, DuplicateMember, CaseVariantMember, RenameMember, SwapElements, ChangeType }

    private sealed record Mutation(Target Target, Op Op, int A, int B, int C);

    private static readonly Gen<Mutation> Mutations =
        Gen.Select(Gen.Int[0, 9], Gen.Enum<Op>(), Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, 255],
            (t, op, a, b, c) => new Mutation(t switch { < 6 => Target.Bundle, < 8 => Target.Receipt, 8 => Target.Kept, _ => Target.Keys }, op, a, b, c));

    private static readonly string OriginalWhoAgreed = WhoAgreed(AuditSample.Run(Sample.Bundle, Sample.Receipt, Sample.Kept, Sample.Keys, "--json").Output)!;

    [Fact]
    public void The_unmutated_files_verify_clean()
    {
        var (code, output, error) = AuditSample.Run(Sample.Bundle, Sample.Receipt, Sample.Kept, Sample.Keys, "--json");
        code.ShouldBe(0, output + error);
        OriginalWhoAgreed.ShouldContain("DE-HE");
    }

    [Fact]
    public void A_mutated_file_never_crashes_the_verifier_and_never_verifies_clean_when_what_it_says_changed()
    {
        Mutations.Sample(m =>
        {
            var files = new Dictionary<Target, byte[]>
            {
                [Target.Bundle] = Sample.Bundle, [Target.Receipt] = Sample.Receipt, [Target.Kept] = Sample.Kept, [Target.Keys] = Sample.Keys,
            };
            var original = files[m.Target];
            var mutated = Apply(original, m);
            files[m.Target] = mutated;
            var changed = Project(m.Target, mutated) is not { } projection || projection != Project(m.Target, original);

            // The library, directly: never throws.
            var bundle = AuditReader.ReadBundle(files[Target.Bundle]);
            var receipt = AuditReader.ReadReceipt(files[Target.Receipt]);
            var note = Encoding.UTF8.GetString(files[Target.Kept]);
            SignedNote.TryParse(note, out _);
            foreach (var line in Encoding.UTF8.GetString(files[Target.Keys]).Split('\n')) VerifierKey.TryParse(line, out _);
            if (bundle.Value is { } b)
            {
                var report = BundleVerifier.Verify(b, [AuditSample.Signer.VerifierKey], [note], receipt.Value is { } r ? [r] : []);
                if (changed && m.Target is Target.Bundle) report.Clean.ShouldBeFalse("the library verified a changed bundle clean");
            }
            else
            {
                bundle.Problem.ShouldNotBeNullOrEmpty();
            }

            // The command.
            var (code, output, error) = AuditSample.Run(files[Target.Bundle], files[Target.Receipt], files[Target.Kept], files[Target.Keys], "--json");
            code.ShouldBeOneOf(0, 1, 2);
            error.ShouldNotContain("could not complete the verification");
            if (code == 2) error.ShouldNotBeEmpty();
            if (changed) code.ShouldNotBe(0, "a changed file verified clean");
            if (code == 0) WhoAgreed(output).ShouldBe(OriginalWhoAgreed);
        }, seed: Seed, iter: Iterations, threads: 1, print: m => $"{m} on {Describe(m)}");
    }

    private static string Describe(Mutation m)
    {
        var before = Encoding.UTF8.GetString(Original(m.Target));
        var after = Encoding.UTF8.GetString(Apply(Original(m.Target), m));
        var at = 0;
        while (at < before.Length && at < after.Length && before[at] == after[at]) at++;
        var from = Math.Max(0, at - 40);
        return $"…{before[from..Math.Min(before.Length, at + 60)]}… became …{after[from..Math.Min(after.Length, at + 60)]}…";
    }

    private static byte[] Original(Target target) => target switch
    {
        Target.Bundle => Sample.Bundle,
        Target.Receipt => Sample.Receipt,
        Target.Kept => Sample.Kept,
        _ => Sample.Keys,
    };

    private static string? WhoAgreed(string jsonReport)
    {
        try { return JsonNode.Parse(jsonReport)?["whoAgreedToWhat"]?.ToJsonString(); }
        catch (JsonException) { return null; }
    }

    // ---- mutations ----

    private static byte[] Apply(byte[] original, Mutation m)
    {
        var bytes = original.ToList();
        var p = m.A % bytes.Count;
        var length = 1 + m.B % 24;
        var json = m.Target is Target.Bundle or Target.Receipt;
        switch (m.Op)
        {
            case Op.FlipBit:
                bytes[p] ^= (byte)(1 << (m.C % 8));
                break;
            case Op.ReplaceByte:
                bytes[p] = (byte)m.C;
                break;
            case Op.Delete:
                bytes.RemoveRange(p, Math.Min(length, bytes.Count - p));
                break;
            case Op.DuplicateSpan:
                bytes.InsertRange(p, bytes.GetRange(p, Math.Min(length, bytes.Count - p)));
                break;
            case Op.Truncate:
                bytes.RemoveRange(p, bytes.Count - p);
                break;
            case Op.InsertSpace:
                bytes.Insert(p, m.C % 2 == 0 ? (byte)' ' : (byte)'\n');
                break;
            case Op.DuplicateMember or Op.CaseVariantMember or Op.RenameMember when json:
            {
                var members = Scan(original).Members;
                var (nameStart, nameEnd, end) = members[m.A % members.Count];
                if (m.Op == Op.RenameMember)
                {
                    var name = bytes.GetRange(nameStart + 1, nameEnd - nameStart - 2);
                    bytes.RemoveRange(nameStart + 1, name.Count);
                    bytes.InsertRange(nameStart + 1, Rename(name, m.B));
                    break;
                }
                var copy = bytes.GetRange(nameStart, end - nameStart);
                if (m.Op == Op.CaseVariantMember)
                {
                    var name = copy.GetRange(1, nameEnd - nameStart - 2);
                    copy.RemoveRange(1, name.Count);
                    copy.InsertRange(1, ToggleCase(name, m.B));
                }
                bytes.InsertRange(nameStart, [.. copy, (byte)',']);
                break;
            }
            case Op.SwapElements when json:
            {
                var arrays = Scan(original).Arrays.Where(a => a.Count >= 2).ToList();
                if (arrays.Count == 0) goto default;
                var array = arrays[m.A % arrays.Count];
                var i = m.B % array.Count;
                var j = (i + 1 + m.C % (array.Count - 1)) % array.Count;
                var (first, second) = i < j ? (array[i], array[j]) : (array[j], array[i]);
                var result = new List<byte>();
                result.AddRange(original[..first.Start]);
                result.AddRange(original[second.Start..second.End]);
                result.AddRange(original[first.End..second.Start]);
                result.AddRange(original[first.Start..first.End]);
                result.AddRange(original[second.End..]);
                return [.. result];
            }
            case Op.ChangeType when json:
            {
                var values = Scan(original).Values;
                var v = values[m.A % values.Count];
                var text = Encoding.UTF8.GetString(original[v.Start..v.End]);
                var replacement = v.Kind switch
                {
                    JsonTokenType.Number => m.C % 2 == 0 ? $"\"{text}\"" : "null",
                    JsonTokenType.String => (m.C % 4) switch { 0 => "0", 1 => "null", 2 => "[]", _ => text.Trim('"') is var inner && inner.Length > 0 && inner.All(char.IsAsciiDigit) ? inner : "1" },
                    JsonTokenType.True or JsonTokenType.False => $"\"{text}\"",
                    JsonTokenType.Null => m.C % 2 == 0 ? "\"\"" : "0",
                    JsonTokenType.StartObject => m.C % 2 == 0 ? "[]" : $"[{text}]",
                    JsonTokenType.StartArray => m.C % 2 == 0 ? "{}" : "\"[]\"",
                    _ => text,
                };
                return [.. original[..v.Start], .. Encoding.UTF8.GetBytes(replacement), .. original[v.End..]];
            }
            default:
                bytes[p] ^= (byte)(1 << (m.C % 8));
                break;
        }
        return [.. bytes];
    }

    private static List<byte> ToggleCase(List<byte> name, int pick)
    {
        var letters = Enumerable.Range(0, name.Count).Where(i => char.IsAsciiLetter((char)name[i])).ToList();
        if (letters.Count == 0) return [.. name, (byte)'x'];
        var copy = name.ToList();
        copy[letters[pick % letters.Count]] ^= 0x20;
        return copy;
    }

    private static List<byte> Rename(List<byte> name, int pick) => (pick % 3) switch
    {
        0 => ToggleCase(name, pick / 3),
        1 => [.. name, (byte)'s'],
        _ => [.. "unknown"u8],
    };

    private sealed record ValueSpan(int Start, int End, JsonTokenType Kind);

    private sealed record Shape(List<ValueSpan> Values, List<(int NameStart, int NameEnd, int End)> Members, List<List<ValueSpan>> Arrays);

    /// <summary>Where each value, member and array element of a JSON text lies.</summary>
    private static Shape Scan(byte[] json)
    {
        var shape = new Shape([], [], []);
        var reader = new Utf8JsonReader(json);
        var stack = new Stack<(int Start, JsonTokenType Kind, List<ValueSpan>? Elements, int MemberStart, int NameEnd)>();
        int memberStart = -1, nameEnd = -1;
        void Value(ValueSpan span, int ms, int ne)
        {
            shape.Values.Add(span);
            if (ms >= 0) shape.Members.Add((ms, ne, span.End));
            if (stack.Count > 0 && stack.Peek().Elements is { } elements) elements.Add(span);
        }
        while (reader.Read())
        {
            var start = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    memberStart = start;
                    nameEnd = start + reader.ValueSpan.Length + 2;
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    stack.Push((start, reader.TokenType, reader.TokenType == JsonTokenType.StartArray ? [] : null, memberStart, nameEnd));
                    memberStart = -1;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    var frame = stack.Pop();
                    Value(new ValueSpan(frame.Start, (int)reader.BytesConsumed, frame.Kind), frame.MemberStart, frame.NameEnd);
                    if (frame.Elements is not null) shape.Arrays.Add(frame.Elements);
                    break;
                default:
                    Value(new ValueSpan(start, (int)reader.BytesConsumed, reader.TokenType), memberStart, nameEnd);
                    memberStart = -1;
                    break;
            }
        }
        return shape;
    }

    // ---- the oracle ----

    private static string? Project(Target target, byte[] bytes)
    {
        try
        {
            return target switch
            {
                Target.Bundle => ProjectBundle(bytes),
                Target.Receipt => ProjectReceipt(bytes),
                Target.Kept => Convert.ToBase64String(bytes),
                _ => ProjectKeys(bytes),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static string Canonical(JsonNode? node) => TreeCanonicalJson.Serialize(node);

    private static JsonArray Multiset(IEnumerable<string> items) => new(items.Order(StringComparer.Ordinal).Select(s => (JsonNode)JsonValue.Create(s)).ToArray());

    private static string? ProjectBundle(byte[] bytes)
    {
        if (JsonNode.Parse(bytes) is not JsonObject root) return null;
        var projection = new JsonObject();
        foreach (var (name, value) in root.ToList())
        {
            projection[name] = name switch
            {
                "exportedAt" when value is JsonValue v && v.GetValueKind() == JsonValueKind.String => "a string",
                "events" when value is JsonArray events => Multiset(events.Select(e => Canonical(TreeCanonicalJson.Normalize(e)))),
                "gaps" or "checkpoints" or "publicKeys" or "redacted" when value is JsonArray items => Multiset(items.Select(Canonical)),
                "redacted" when value is null => Multiset([]),
                _ => Canonical(value),
            };
        }
        if (!root.ContainsKey("redacted")) projection["redacted"] = Multiset([]);
        return Canonical(projection);
    }

    private static string? ProjectReceipt(byte[] bytes)
    {
        if (JsonNode.Parse(bytes) is not JsonObject root) return null;
        var projection = new JsonObject();
        foreach (var (name, value) in root.ToList())
        {
            var text = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            projection[name] = name switch
            {
                "event" => Canonical(TreeCanonicalJson.Normalize(value)),
                "resolution" or "ballot" when Guid.TryParseExact(text, "D", out var id) => id.ToString("D"),
                "castAt" when text is not null && JsonDocument.Parse(value!.ToJsonString()).RootElement.TryGetDateTimeOffset(out var at) => at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "land" or "personId" or "personName" or "choice" or "textHash" when text is not null => Oracles.Normalized(text),
                _ => Canonical(value),
            };
        }
        return Canonical(projection);
    }

    private static string ProjectKeys(byte[] bytes)
    {
        var text = new UTF8Encoding(false, true).GetString(bytes);
        var lines = text.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).Where(l => l.Length > 0);
        return string.Join("\n", lines.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }
}
