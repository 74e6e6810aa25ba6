using System.Text;
using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// What the strict reading of a bundle or a receipt tells the reader of a malformed file: each refusal names the member,
/// the item or event and what was expected there. The files are small and written out here; each test breaks one thing.
/// </summary>
public sealed class AuditReaderMessageTests
{
    private const string Leaf =
        """{"seq":1,"id":"00000000-0000-4000-8000-000000000001","stream":"0f3c2d9e-1111-4a5b-8c7d-000000000001","version":1,"type":"t","timestamp":"2026-11-29T05:00:01.000000Z","data":{},"userName":null,"correlationId":null,"causationId":null,"headers":null,"tenant":null}""";

    private const string Bundle =
        """{"format":"blk-audit-bundle-v1","origin":"test/log","scope":{"kind":"all","value":null},"exportedAt":"2026-11-29T05:02:00Z","leaves":["bGVhZg=="],"gaps":[4],"checkpoints":["note"],"publicKeys":["key"],"events":[""" + Leaf + "]}";

    private const string Receipt =
        """{"format":"blk-vote-receipt-v1","resolution":"0f3c2d9e-1111-4a5b-8c7d-000000000001","ballot":"0f3c2d9e-3333-4a5b-8c7d-000000000003","textVersion":1,"textHash":"h","land":"DE-HE","personId":"p","personName":"n","choice":"no","castAt":"2026-11-29T05:00:05Z","seq":5,"leafIndex":4,"event":""" +
        Leaf + ""","treeSize":7,"inclusionProof":["a"],"checkpoint":"c"}""";

    private static Reading<AuditBundle> ReadBundle(string text) => AuditReader.ReadBundle(Encoding.UTF8.GetBytes(text));

    private static Reading<VoteReceipt> ReadReceipt(string text) => AuditReader.ReadReceipt(Encoding.UTF8.GetBytes(text));

    private static string BundleRefusal(string text)
    {
        var reading = ReadBundle(text);
        reading.Value.ShouldBeNull(text);
        return reading.Problem.ShouldNotBeNull();
    }

    private static string ReceiptRefusal(string text)
    {
        var reading = ReadReceipt(text);
        reading.Value.ShouldBeNull(text);
        return reading.Problem.ShouldNotBeNull();
    }

    private static string Replace(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        at.ShouldBeGreaterThanOrEqualTo(0, from);
        return text[..at] + to + text[(at + from.Length)..];
    }

    private static string BrokenLeaf(string from, string to) => Replace(Bundle, Leaf, Replace(Leaf, from, to));

    [Fact]
    public void The_small_bundle_reads_with_every_member_as_written()
    {
        var reading = ReadBundle(Bundle);
        reading.Problem.ShouldBeNull();
        var bundle = reading.Value.ShouldNotBeNull();
        bundle.Format.ShouldBe("blk-audit-bundle-v1");
        bundle.Origin.ShouldBe("test/log");
        bundle.Scope.ShouldBe(new BundleScope("all", null));
        bundle.ExportedAt.ShouldBe(new DateTimeOffset(2026, 11, 29, 5, 2, 0, TimeSpan.Zero));
        bundle.Leaves.ShouldBe(["bGVhZg=="]);
        bundle.Gaps.ShouldBe([4L]);
        bundle.Checkpoints.ShouldBe(["note"]);
        bundle.PublicKeys.ShouldBe(["key"]);
        bundle.Redacted.ShouldBeNull();
        bundle.Events.Count.ShouldBe(1);
        bundle.Events[0]["type"]!.GetValue<string>().ShouldBe("t");
    }

    [Fact]
    public void Redacted_is_optional_may_be_null_and_is_read_as_integers()
    {
        ReadBundle(Replace(Bundle, "\"events\":", "\"redacted\":[6,9],\"events\":")).Value.ShouldNotBeNull().Redacted.ShouldBe([6L, 9L]);
        ReadBundle(Replace(Bundle, "\"events\":", "\"redacted\":null,\"events\":")).Value.ShouldNotBeNull().Redacted.ShouldBeNull();
    }

    [Fact]
    public void A_bundle_with_a_byte_order_mark_reads_as_without_it()
    {
        var reading = AuditReader.ReadBundle((byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Bundle)]);
        reading.Problem.ShouldBeNull();
        reading.Value.ShouldNotBeNull().Origin.ShouldBe("test/log");
    }

    [Fact]
    public void A_file_that_fails_the_strict_checks_is_refused_with_what_the_checks_found()
    {
        BundleRefusal(Replace(Bundle, "\"origin\":\"test/log\"", "\"origin\":\"test/log\",\"origin\":\"x\""))
            .ShouldBe("The member \"origin\" appears twice in one object (byte 52).");
    }

    [Fact]
    public void A_bundle_that_is_not_an_object_is_refused_naming_what_it_is()
    {
        BundleRefusal("[]").ShouldBe("The bundle is not a JSON object but an array.");
        BundleRefusal("\"bundle\"").ShouldBe("The bundle is not a JSON object but a string.");
        BundleRefusal("7").ShouldBe("The bundle is not a JSON object but a number.");
        BundleRefusal("true").ShouldBe("The bundle is not a JSON object but a boolean.");
        BundleRefusal("null").ShouldBe("The bundle is not a JSON object but null.");
    }

    [Fact]
    public void An_unknown_or_missing_member_of_the_bundle_is_named()
    {
        BundleRefusal(Replace(Bundle, "\"gaps\":[4],", "\"gaps\":[4],\"extra\":1,")).ShouldBe("The bundle has a member \"extra\" that its format does not have.");
        BundleRefusal(Replace(Bundle, "\"gaps\":[4],", "")).ShouldBe("The bundle lacks the member \"gaps\".");
    }

    [Fact]
    public void A_wrong_format_or_origin_of_the_bundle_is_named()
    {
        BundleRefusal(Replace(Bundle, "\"blk-audit-bundle-v1\"", "1")).ShouldBe("The member \"format\" of the bundle is a number, not a string.");
        BundleRefusal(Replace(Bundle, "\"blk-audit-bundle-v1\"", "\"blk-audit-bundle-v2\""))
            .ShouldBe("Unknown bundle format \"blk-audit-bundle-v2\" (expected \"blk-audit-bundle-v1\").");
        BundleRefusal(Replace(Bundle, "\"test/log\"", "5")).ShouldBe("The member \"origin\" of the bundle is a number, not a string.");
        BundleRefusal(Replace(Bundle, "\"test/log\"", "\"\"")).ShouldBe("The bundle's origin is empty.");
    }

    [Fact]
    public void A_malformed_scope_is_named()
    {
        const string scope = "{\"kind\":\"all\",\"value\":null}";
        BundleRefusal(Replace(Bundle, scope, "[]")).ShouldBe("The bundle's scope is not a JSON object but an array.");
        BundleRefusal(Replace(Bundle, scope, "{\"kind\":\"all\",\"value\":null,\"x\":1}"))
            .ShouldBe("The bundle's scope has a member \"x\" that its format does not have.");
        BundleRefusal(Replace(Bundle, scope, "{\"kind\":\"all\"}")).ShouldBe("The bundle's scope lacks the member \"value\".");
        BundleRefusal(Replace(Bundle, scope, "{\"kind\":true,\"value\":null}")).ShouldBe("The member \"kind\" of the bundle's scope is a boolean, not a string.");
        BundleRefusal(Replace(Bundle, scope, "{\"kind\":\"everything\",\"value\":null}"))
            .ShouldBe("The bundle's scope kind \"everything\" is none of all, resolution, body.");
    }

    [Theory]
    [InlineData("{\"kind\":\"all\",\"value\":\"x\"}", "The value of a bundle of scope all is null.")]
    [InlineData("{\"kind\":\"resolution\",\"value\":\"not-a-guid\"}", "The value of a bundle of scope resolution is a GUID.")]
    [InlineData("{\"kind\":\"resolution\",\"value\":null}", "The value of a bundle of scope resolution is a GUID.")]
    [InlineData("{\"kind\":\"body\",\"value\":\"\"}", "The value of a bundle of scope body is a non-empty string.")]
    [InlineData("{\"kind\":\"body\",\"value\":null}", "The value of a bundle of scope body is a non-empty string.")]
    [InlineData("{\"kind\":\"body\",\"value\":5}", "The value of a bundle of scope body is a non-empty string.")]
    public void A_scope_value_that_does_not_fit_its_kind_is_refused_saying_what_the_kind_needs(string scope, string expected) =>
        BundleRefusal(Replace(Bundle, "{\"kind\":\"all\",\"value\":null}", scope)).ShouldBe(expected);

    [Fact]
    public void Scopes_of_a_resolution_and_of_a_body_read_with_their_value()
    {
        ReadBundle(Replace(Bundle, "{\"kind\":\"all\",\"value\":null}", "{\"kind\":\"resolution\",\"value\":\"0f3c2d9e-1111-4a5b-8c7d-000000000001\"}"))
            .Value.ShouldNotBeNull().Scope.ShouldBe(new BundleScope("resolution", "0f3c2d9e-1111-4a5b-8c7d-000000000001"));
        ReadBundle(Replace(Bundle, "{\"kind\":\"all\",\"value\":null}", "{\"kind\":\"body\",\"value\":\"D16\"}"))
            .Value.ShouldNotBeNull().Scope.ShouldBe(new BundleScope("body", "D16"));
    }

    [Fact]
    public void A_malformed_export_time_is_named()
    {
        BundleRefusal(Replace(Bundle, "\"2026-11-29T05:02:00Z\"", "\"yesterday\""))
            .ShouldBe("The member \"exportedAt\" of the bundle is not an ISO 8601 date and time.");
        BundleRefusal(Replace(Bundle, "\"2026-11-29T05:02:00Z\"", "5")).ShouldBe("The member \"exportedAt\" of the bundle is a number, not a string.");
    }

    [Theory]
    [InlineData("\"leaves\":[\"bGVhZg==\"]", "\"leaves\":{}", "The member \"leaves\" of the bundle is an object, not an array.")]
    [InlineData("\"leaves\":[\"bGVhZg==\"]", "\"leaves\":[\"a\",1]", "Item 1 of \"leaves\" of the bundle is a number, not a string.")]
    [InlineData("\"gaps\":[4]", "\"gaps\":[4,5,1.5]", "Item 2 of \"gaps\" of the bundle is not an integer (of at most 64 bits).")]
    [InlineData("\"gaps\":[4]", "\"gaps\":[\"4\"]", "Item 0 of \"gaps\" of the bundle is not an integer (of at most 64 bits).")]
    [InlineData("\"gaps\":[4]", "\"gaps\":[18446744073709551616]", "Item 0 of \"gaps\" of the bundle is not an integer (of at most 64 bits).")]
    [InlineData("\"gaps\":[4]", "\"gaps\":null", "The member \"gaps\" of the bundle is null, not an array.")]
    [InlineData("\"checkpoints\":[\"note\"]", "\"checkpoints\":[null]", "Item 0 of \"checkpoints\" of the bundle is null, not a string.")]
    [InlineData("\"checkpoints\":[\"note\"]", "\"checkpoints\":\"note\"", "The member \"checkpoints\" of the bundle is a string, not an array.")]
    [InlineData("\"publicKeys\":[\"key\"]", "\"publicKeys\":[\"key\",[]]", "Item 1 of \"publicKeys\" of the bundle is an array, not a string.")]
    [InlineData("\"publicKeys\":[\"key\"]", "\"publicKeys\":7", "The member \"publicKeys\" of the bundle is a number, not an array.")]
    [InlineData("\"events\":", "\"redacted\":[true],\"events\":", "Item 0 of \"redacted\" of the bundle is not an integer (of at most 64 bits).")]
    [InlineData("\"events\":", "\"redacted\":\"6\",\"events\":", "The member \"redacted\" of the bundle is a string, not an array.")]
    [InlineData("\"events\":[", "\"events\":{\"a\":[", "The member \"events\" of the bundle is an object, not an array.")]
    public void A_malformed_list_of_the_bundle_is_refused_naming_the_list_the_item_and_the_kind_expected(string from, string to, string expected)
    {
        var text = Replace(Bundle, from, to);
        if (to.StartsWith("\"events\":{", StringComparison.Ordinal)) text = text[..^1] + "}}";
        BundleRefusal(text).ShouldBe(expected);
    }

    [Fact]
    public void An_event_that_is_not_an_object_is_refused_with_its_index()
    {
        BundleRefusal(Replace(Bundle, Leaf, Leaf + ",5")).ShouldBe("Event 1 of the bundle is not a JSON object but a number.");
        BundleRefusal(Replace(Bundle, Leaf, Leaf + "," + Leaf + ",[]")).ShouldBe("Event 2 of the bundle is not a JSON object but an array.");
    }

    [Theory]
    [InlineData("\"seq\":1", "\"seq\":\"1\"", "The member \"seq\" of Event 0 of the bundle is a string, not a number.")]
    [InlineData("\"seq\":1", "\"seq\":1.5", "The member \"seq\" of Event 0 of the bundle is not an integer (of at most 64 bits).")]
    [InlineData("\"version\":1", "\"version\":1.5", "The member \"version\" of Event 0 of the bundle is not an integer (of at most 64 bits).")]
    [InlineData("\"version\":1", "\"version\":null", "The member \"version\" of Event 0 of the bundle is null, not a number.")]
    [InlineData("\"id\":\"00000000-0000-4000-8000-000000000001\"", "\"id\":\"x\"", "The member \"id\" of Event 0 of the bundle is not a GUID.")]
    [InlineData("\"id\":\"00000000-0000-4000-8000-000000000001\"", "\"id\":1", "The member \"id\" of Event 0 of the bundle is a number, not a string.")]
    [InlineData("\"stream\":\"0f3c2d9e-1111-4a5b-8c7d-000000000001\"", "\"stream\":\"{0f3c2d9e-1111-4a5b-8c7d-000000000001}\"", "The member \"stream\" of Event 0 of the bundle is not a GUID.")]
    [InlineData("\"type\":\"t\"", "\"type\":\"\"", "Event 0 of the bundle has an empty type.")]
    [InlineData("\"type\":\"t\"", "\"type\":null", "The member \"type\" of Event 0 of the bundle is null, not a string.")]
    [InlineData("\"timestamp\":\"2026-11-29T05:00:01.000000Z\"", "\"timestamp\":\"2026-11-29T05:00:01Z\"", "Event 0 of the bundle has a timestamp not written as yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'.")]
    [InlineData("\"timestamp\":\"2026-11-29T05:00:01.000000Z\"", "\"timestamp\":\"2026-11-29T05:00:01.000000+01:00\"", "Event 0 of the bundle has a timestamp not written as yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'.")]
    [InlineData("\"data\":{}", "\"data\":[]", "The member \"data\" of Event 0 of the bundle is an array, not an object.")]
    [InlineData("\"data\":{}", "\"data\":null", "The member \"data\" of Event 0 of the bundle is null, not an object.")]
    [InlineData("\"headers\":null", "\"headers\":5", "The member \"headers\" of Event 0 of the bundle is a number, not an object or null.")]
    [InlineData("\"userName\":null", "\"userName\":false", "The member \"userName\" of Event 0 of the bundle is a boolean, not a string or null.")]
    [InlineData("\"correlationId\":null", "\"correlationId\":{}", "The member \"correlationId\" of Event 0 of the bundle is an object, not a string or null.")]
    [InlineData("\"causationId\":null", "\"causationId\":[]", "The member \"causationId\" of Event 0 of the bundle is an array, not a string or null.")]
    [InlineData("\"tenant\":null", "\"tenant\":7", "The member \"tenant\" of Event 0 of the bundle is a number, not a string or null.")]
    [InlineData(",\"tenant\":null", "", "Event 0 of the bundle lacks the member \"tenant\".")]
    [InlineData("\"tenant\":null", "\"tenant\":null,\"extra\":1", "Event 0 of the bundle has a member \"extra\" that its format does not have.")]
    [InlineData("\"data\":{}", "\"data\":{\"w\":1e400}", "Event 0 of the bundle cannot be canonicalised: NaN and Infinity are not JSON numbers.")]
    public void A_malformed_event_is_refused_naming_the_event_the_member_and_the_kind_expected(string from, string to, string expected) =>
        BundleRefusal(BrokenLeaf(from, to)).ShouldBe(expected);

    [Fact]
    public void The_event_named_in_a_refusal_is_the_one_that_is_wrong()
    {
        var broken = Replace(Leaf, "\"type\":\"t\"", "\"type\":\"\"");
        BundleRefusal(Replace(Bundle, Leaf, Leaf + "," + Leaf + "," + broken)).ShouldBe("Event 2 of the bundle has an empty type.");
    }

    [Fact]
    public void An_event_is_read_back_from_its_canonical_bytes()
    {
        var text = BrokenLeaf("\"data\":{}", "\"data\":{\"z\":1,\"a\":\"La\u0308nder\"}");
        var bundle = ReadBundle(text).Value.ShouldNotBeNull();
        var data = bundle.Events[0]["data"]!.AsObject();
        data.Select(p => p.Key).ShouldBe(["a", "z"]);
        data["a"]!.GetValue<string>().ShouldBe("L\u00e4nder");
        bundle.EventLeafHashes.ShouldNotBeNull().Count.ShouldBe(1);
    }

    [Fact]
    public void The_small_receipt_reads_with_every_member_as_written()
    {
        var reading = ReadReceipt(Receipt);
        reading.Problem.ShouldBeNull();
        var receipt = reading.Value.ShouldNotBeNull();
        receipt.Format.ShouldBe("blk-vote-receipt-v1");
        receipt.Resolution.ShouldBe(Guid.Parse("0f3c2d9e-1111-4a5b-8c7d-000000000001"));
        receipt.Ballot.ShouldBe(Guid.Parse("0f3c2d9e-3333-4a5b-8c7d-000000000003"));
        receipt.TextVersion.ShouldBe(1);
        receipt.TextHash.ShouldBe("h");
        receipt.Land.ShouldBe("DE-HE");
        receipt.PersonId.ShouldBe("p");
        receipt.PersonName.ShouldBe("n");
        receipt.Choice.ShouldBe("no");
        receipt.CastAt.ShouldBe(new DateTimeOffset(2026, 11, 29, 5, 0, 5, TimeSpan.Zero));
        receipt.Seq.ShouldBe(5);
        receipt.LeafIndex.ShouldBe(4);
        receipt.TreeSize.ShouldBe(7);
        receipt.InclusionProof.ShouldBe(["a"]);
        receipt.Checkpoint.ShouldBe("c");
        receipt.Event["seq"]!.GetValue<long>().ShouldBe(1);
    }

    [Fact]
    public void A_receipt_outside_a_ballot_has_no_ballot_and_the_largest_text_version_reads()
    {
        ReadReceipt(Replace(Receipt, "\"0f3c2d9e-3333-4a5b-8c7d-000000000003\"", "null")).Value.ShouldNotBeNull().Ballot.ShouldBeNull();
        ReadReceipt(Replace(Receipt, "\"textVersion\":1", "\"textVersion\":2147483647")).Value.ShouldNotBeNull().TextVersion.ShouldBe(int.MaxValue);
    }

    [Fact]
    public void A_text_version_beyond_an_int_is_refused_not_wrapped()
    {
        ReceiptRefusal(Replace(Receipt, "\"textVersion\":1", "\"textVersion\":2147483648")).ShouldStartWith("Unreadable: ");
        ReceiptRefusal(Replace(Receipt, "\"textVersion\":1", "\"textVersion\":-4294967295")).ShouldStartWith("Unreadable: ");
    }

    [Theory]
    [InlineData("\"blk-vote-receipt-v1\"", "\"blk-vote-receipt-v0\"", "Unknown receipt format \"blk-vote-receipt-v0\" (expected \"blk-vote-receipt-v1\").")]
    [InlineData("\"blk-vote-receipt-v1\"", "[]", "The member \"format\" of the receipt is an array, not a string.")]
    [InlineData("\"type\":\"t\"", "\"type\":\"\"", "The receipt's event has an empty type.")]
    [InlineData("\"type\":\"t\"", "\"type\":5", "The member \"type\" of the receipt's event is a number, not a string.")]
    [InlineData("\"resolution\":\"0f3c2d9e-1111-4a5b-8c7d-000000000001\"", "\"resolution\":\"r\"", "The member \"resolution\" of the receipt is not a GUID.")]
    [InlineData("\"ballot\":\"0f3c2d9e-3333-4a5b-8c7d-000000000003\"", "\"ballot\":5", "The member \"ballot\" of the receipt is a number, not a string.")]
    [InlineData("\"textVersion\":1", "\"textVersion\":\"1\"", "The member \"textVersion\" of the receipt is a string, not a number.")]
    [InlineData("\"castAt\":\"2026-11-29T05:00:05Z\"", "\"castAt\":\"5 o'clock\"", "The member \"castAt\" of the receipt is not an ISO 8601 date and time.")]
    [InlineData("\"treeSize\":7", "\"treeSize\":7.5", "The member \"treeSize\" of the receipt is not an integer (of at most 64 bits).")]
    [InlineData("\"inclusionProof\":[\"a\"]", "\"inclusionProof\":[\"a\",\"b\",1]", "Item 2 of \"inclusionProof\" of the receipt is a number, not a string.")]
    [InlineData("\"checkpoint\":\"c\"", "\"checkpoint\":\"c\",\"extra\":1", "The receipt has a member \"extra\" that its format does not have.")]
    [InlineData(",\"checkpoint\":\"c\"", "", "The receipt lacks the member \"checkpoint\".")]
    public void A_malformed_receipt_is_refused_naming_the_member_and_the_kind_expected(string from, string to, string expected) =>
        ReceiptRefusal(Replace(Receipt, from, to)).ShouldBe(expected);

    [Fact]
    public void A_receipt_that_is_not_an_object_is_refused()
    {
        ReceiptRefusal("[1]").ShouldBe("The receipt is not a JSON object but an array.");
    }
}
