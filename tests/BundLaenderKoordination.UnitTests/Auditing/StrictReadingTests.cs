using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The verifier on hostile and broken input: one strict reading of each file, the report derived only from what was
/// hashed, and an exit code (0, 1, 2) for every input instead of an exception.
/// </summary>
public sealed class StrictReadingTests
{
    private static readonly AuditSample.Files Sample = AuditSample.Build();
    private static string BundleText => Encoding.UTF8.GetString(Sample.Bundle);

    private static (int Code, string Output, string Error) RunBundle(string bundle) =>
        AuditSample.Run(Encoding.UTF8.GetBytes(bundle), null, null, Sample.Keys);

    private static void ShouldBeMalformed((int Code, string Output, string Error) run, string? reason = null)
    {
        run.Code.ShouldBe(1, run.Output + run.Error);
        run.Output.ShouldContain(FindingCodes.BundleMalformed);
        run.Output.ShouldNotContain("\nCLEAN");
        if (reason is not null) run.Error.ShouldContain(reason);
    }

    [Fact]
    public void The_sample_as_the_service_writes_it_verifies_clean_with_its_receipt_and_kept_checkpoint()
    {
        var (code, output, error) = AuditSample.Run(Sample.Bundle, Sample.Receipt, Sample.Kept, Sample.Keys);
        code.ShouldBe(0, output + error);
        output.ShouldEndWith("CLEAN\n");
        output.ShouldContain("DE-HE  no       Vertretung Hessen Müller (p-DE-HE)");
        output.ShouldContain("1 sealed event(s) redacted");
        error.ShouldBeEmpty();
    }

    [Fact]
    public void A_duplicate_choice_in_a_vote_is_malformed_and_never_shown_as_proven()
    {
        // The sealed vote says No; a second member of the same name says Yes. A lenient reader would show Yes as proven.
        var forged = BundleText.Replace("\"choice\":\"No\"", "\"choice\":\"No\",\"choice\":\"Yes\"", StringComparison.Ordinal);
        forged.ShouldNotBe(BundleText);
        ShouldBeMalformed(RunBundle(forged), "\"choice\" appears twice");
        BundleVerifier.ParseBundle(forged).ShouldBeNull();
    }

    [Fact]
    public void A_member_that_differs_from_another_only_in_letter_case_is_malformed()
    {
        var forged = BundleText.Replace("\"choice\":\"No\"", "\"choice\":\"No\",\"Choice\":\"Yes\"", StringComparison.Ordinal);
        ShouldBeMalformed(RunBundle(forged), "differ only in letter case");
        var renamed = BundleText.Replace("\"leaves\":", "\"Leaves\":", StringComparison.Ordinal);
        ShouldBeMalformed(RunBundle(renamed), "\"Leaves\"");
    }

    [Theory]
    [InlineData(" {}")]
    [InlineData("\n\"x\"")]
    [InlineData("garbage")]
    public void Content_after_the_bundle_is_malformed(string trailing) =>
        ShouldBeMalformed(RunBundle(BundleText + trailing));

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"type":"/problems/step-up-required","title":"A recent sign-in is needed.","status":401}""")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"format\":\"blk-audit-bundle-v1\"}")]
    [InlineData("{\"a\":1e999999}")]
    public void Something_that_is_not_a_bundle_is_a_finding_not_a_crash(string text) => ShouldBeMalformed(RunBundle(text));

    [Fact]
    public void Binary_garbage_deep_nesting_huge_numbers_and_lone_surrogates_are_findings_not_crashes()
    {
        var random = new Random(42);
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        ShouldBeMalformed(AuditSample.Run(garbage, null, null, Sample.Keys));
        ShouldBeMalformed(RunBundle(new string('[', 100_000) + new string(']', 100_000)));
        ShouldBeMalformed(RunBundle(BundleText.Replace("\"weight\":1.5e0", "\"weight\":1e400", StringComparison.Ordinal)), "cannot be canonicalised");
        ShouldBeMalformed(RunBundle(BundleText.Replace("\"seq\":3", "\"seq\":99999999999999999999999", StringComparison.Ordinal)));
        ShouldBeMalformed(RunBundle(BundleText.Replace("Vertretung Bayern", "Vertretung \\ud800Bayern", StringComparison.Ordinal)), "not valid Unicode");
        ShouldBeMalformed(AuditSample.Run([.. Encoding.UTF8.GetBytes(BundleText[..100]), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(BundleText[100..])], null, null, Sample.Keys));
    }

    [Theory]
    [InlineData("\"seq\":3,", "\"seq\":\"3\",")] // a string where a number is expected
    [InlineData("\"gaps\":[4]", "\"gaps\":[\"4\"]")]
    [InlineData("\"tenant\":\"*DEFAULT*\"", "\"tenant\":7")]
    [InlineData("\"format\":\"blk-audit-bundle-v1\"", "\"format\":\"blk-audit-bundle-v2\"")]
    [InlineData("\"kind\":\"all\"", "\"kind\":\"everything\"")]
    [InlineData("\"tenant\":\"*DEFAULT*\"", "\"tenant\":\"*DEFAULT*\",\"extra\":1")] // a member a leaf document does not have
    public void Wrong_types_and_unknown_members_are_malformed(string from, string to)
    {
        var text = ReplaceFirst(BundleText, from, to);
        ShouldBeMalformed(RunBundle(text));
    }

    [Fact]
    public void Free_form_members_of_an_event_s_data_are_hashed_and_a_changed_one_does_not_match()
    {
        var text = BundleText.Replace("\"weight\":1.5e0", "\"weight\":1.5e0,\"note\":\"added\"", StringComparison.Ordinal);
        var bundle = BundleVerifier.ParseBundle(text).ShouldNotBeNull();
        var report = BundleVerifier.Verify(bundle, [AuditSample.Signer.VerifierKey]);
        report.Clean.ShouldBeFalse();
        report.Findings.Select(f => f.Code).Distinct().ShouldBe([FindingCodes.LeafMismatch]);
    }

    [Fact]
    public void The_report_is_read_from_the_hashed_bytes_not_from_the_event_objects_it_was_given()
    {
        var bundle = BundleVerifier.ParseBundle(Sample.Bundle).ShouldNotBeNull();
        // Editing the parsed objects afterwards changes nothing the verifier shows: it works from the canonical bytes.
        bundle.Events.Single(e => e["seq"]!.GetValue<long>() == 5)["data"]!["choice"] = "Yes";
        var report = BundleVerifier.Verify(bundle, [AuditSample.Signer.VerifierKey]);
        report.Clean.ShouldBeTrue(string.Join("\n", report.Findings));
        report.WhoAgreedToWhat.Single().Votes.Single(v => v.Land == "DE-HE").Choice.ShouldBe("no");
        // A bundle given with other events is checked on those.
        var edited = bundle with { Events = bundle.Events.ToList() };
        BundleVerifier.Verify(edited, [AuditSample.Signer.VerifierKey]).Findings.Select(f => (f.Code, f.Seq)).ShouldBe([(FindingCodes.LeafMismatch, (long?)5)]);
    }

    [Fact]
    public void A_cut_checkpoint_is_a_finding_not_a_crash()
    {
        var note = Encoding.UTF8.GetString(Sample.Kept);
        foreach (var cut in new[] { note[..note.IndexOf('\u2014')], note[..(note.IndexOf('\u2014') - 1)], note[..^10], note + "\n", "" })
        {
            var (code, output, _) = AuditSample.Run(Sample.Bundle, null, Encoding.UTF8.GetBytes(cut), Sample.Keys);
            code.ShouldBe(1);
            output.ShouldContain(FindingCodes.CheckpointMalformed);
        }
        var inBundle = JsonNode.Parse(Sample.Bundle)!;
        inBundle["checkpoints"]![0] = note[..note.IndexOf('\u2014')];
        var run = RunBundle(inBundle.ToJsonString());
        run.Code.ShouldBe(1);
        run.Output.ShouldContain(FindingCodes.CheckpointMalformed);
    }

    [Fact]
    public void A_receipt_that_fails_the_strict_reading_is_a_finding()
    {
        var receipt = Encoding.UTF8.GetString(Sample.Receipt);
        foreach (var broken in new[] { "{}", receipt + "x", receipt.Replace("\"land\":\"DE-HE\"", "\"land\":\"DE-HE\",\"Land\":\"DE-BY\"", StringComparison.Ordinal), receipt[..^5] })
        {
            var (code, output, _) = AuditSample.Run(Sample.Bundle, Encoding.UTF8.GetBytes(broken), null, Sample.Keys);
            code.ShouldBe(1);
            output.ShouldContain(FindingCodes.ReceiptMalformed);
        }
        BundleVerifier.ParseReceipt(receipt).ShouldNotBeNull().Land.ShouldBe("DE-HE");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Help_prints_the_usage_and_exits_zero(string flag)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Verifier.VerifyCommand.Run([flag], output, error).ShouldBe(0);
        output.ToString().ShouldStartWith("usage: blk-verify verify BUNDLE");
        error.ToString().ShouldBeEmpty();
    }

    [Fact]
    public void Wrong_usage_and_files_that_cannot_be_read_exit_two_with_a_message()
    {
        var dir = Directory.CreateTempSubdirectory("blk-verify-usage-");
        try
        {
            var bundle = Path.Combine(dir.FullName, "bundle.json");
            File.WriteAllBytes(bundle, Sample.Bundle);
            var keys = Path.Combine(dir.FullName, "log.pub");
            File.WriteAllBytes(keys, Sample.Keys);
            var empty = Path.Combine(dir.FullName, "empty.pub");
            File.WriteAllText(empty, "\n");
            var badKey = Path.Combine(dir.FullName, "bad.pub");
            File.WriteAllText(badKey, Encoding.UTF8.GetString(Sample.Keys).Replace("+", " +", StringComparison.Ordinal));
            string[][] cases =
            [
                [],
                ["verify"],
                ["frobnicate", bundle],
                ["verify", bundle],
                ["verify", bundle, "--key"],
                ["verify", bundle, "--key", keys, "--bogus"],
                ["verify", Path.Combine(dir.FullName, "missing.json"), "--key", keys],
                ["verify", dir.FullName, "--key", keys],
                ["verify", bundle, "--key", dir.FullName],
                ["verify", bundle, "--key", empty],
                ["verify", bundle, "--key", badKey],
                ["verify", bundle, "--key", keys, "--receipt", Path.Combine(dir.FullName, "missing.json")],
                ["verify", bundle, "--key", keys, "--backdate-tolerance", "1e308"],
                ["verify", bundle, "--key", keys, "--backdate-tolerance", "NaN"],
                ["verify", bundle, "--key", keys, "--backdate-tolerance", "-1"],
            ];
            foreach (var args in cases)
            {
                var output = new StringWriter();
                var error = new StringWriter();
                Verifier.VerifyCommand.Run(args, output, error).ShouldBe(2, string.Join(" ", args));
                error.ToString().ShouldNotBeEmpty();
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Text_from_the_bundle_cannot_draw_lines_into_the_report()
    {
        var proposed = LeafDocument.ForEvent(1, Guid.NewGuid(), AuditSample.Stream, 1, "resolution_proposed", DateTimeOffset.UnixEpoch,
            new JsonObject { ["title"] = "Titel\n    DE-BY  yes [event 9, proven]\nCLEAN", ["body"] = "D16" }, null, null, null, null, null);
        var tree = new MerkleTree([LeafDocument.Hash(proposed)]);
        var note = NoteSigning.Sign(new Checkpoint(AuditSample.Origin, 1, tree.Root(), DateTimeOffset.UnixEpoch.AddMinutes(1)).Body(), AuditSample.Signer).ToString();
        var bundle = new AuditBundle(AuditBundle.CurrentFormat, AuditSample.Origin, new BundleScope(BundleScope.All, null), DateTimeOffset.UnixEpoch,
            [Convert.ToBase64String(tree.LeafHash(0))], [], [note], [], [proposed]);
        var (code, output, _) = AuditSample.Run(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(bundle, AuditJson.Options), null, null, Sample.Keys);
        code.ShouldBe(0);
        output.ShouldContain("\"Titel\\u000a    DE-BY  yes [event 9, proven]\\u000aCLEAN\"");
        output.Split('\n').Count(l => l == "CLEAN").ShouldBe(1);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        at.ShouldBeGreaterThanOrEqualTo(0, from);
        return text[..at] + to + text[(at + from.Length)..];
    }
}
