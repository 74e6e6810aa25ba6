using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using BundLaenderKoordination.Audit;
using BundLaenderKoordination.Tests.Shared;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// The tests' own implementations (text hash, normalisation, ECMAScript numbers) against known answers from the
/// documents, and the service's leaf hashing against the checked-in vector of a vote (docs/audit-vectors/leaves/5.json).
/// </summary>
public sealed class OracleTests
{
    [Fact]
    public void The_tests_text_hash_gives_the_example_of_docs_text_hash()
    {
        Oracles.TextHash("Titel", [("p1", "Die Länder bitten den Bund."), ("p2", "Zweiter Absatz.")])
            .ShouldBe("74b8e708580e02a8b2e63709e5a7e9d5f997cd41f97c001f9dae8587772b9f29");
    }

    [Fact]
    public void The_tests_normalisation_composes_and_turns_every_line_end_into_LF()
    {
        Oracles.Normalized("La\u0308nder\r\nBund\rKommunen\n").ShouldBe("L\u00e4nder\nBund\nKommunen\n");
        Oracles.Normalized("\r\r\n").ShouldBe("\n\n");
    }

    [Theory]
    [InlineData(0d, "0")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(333333333.33333329, "333333333.3333333")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(-1.7976931348623157e308, "-1.7976931348623157e+308")]
    [InlineData(9007199254740992d, "9007199254740992")]
    [InlineData(295147905179352830000d, "295147905179352830000")]
    [InlineData(4.5, "4.5")]
    [InlineData(0.002, "0.002")]
    [InlineData(1e23, "1e+23")]
    [InlineData(1.5e-9, "1.5e-9")]
    public void The_tests_number_form_is_that_of_RFC_8785(double value, string expected)
    {
        TreeCanonicalJson.EcmaScriptNumber(value).ShouldBe(expected);
        CanonicalJson.FormatNumber(value).ShouldBe(expected);
    }

    private const string VoteData =
        """{"ballotId":null,"castAt":"2026-11-29T09:10:00.25+00:00","castBy":{"actingFor":"DE-BY","personId":"5d6c9a1e-2b47-4f0e-9a31-7c2d8e4f6a01","personName":"Anna Berger","role":"representative"},"choice":"Yes","land":"DE-BY","resolutionId":"0193a5c0-7d2e-7b41-9c3a-5e8f00000001","textHash":"934726f655c34622ddf1cddfa8978b3e2fec0e847f71810fe66b3230d80a0fc8","textVersion":2}""";

    private static readonly Guid VoteId = Guid.Parse("0193a5c1-0a00-7000-8000-000000000005");
    private static readonly Guid Resolution = Guid.Parse("0193a5c0-7d2e-7b41-9c3a-5e8f00000001");
    private static readonly DateTimeOffset CastAt = DateTimeOffset.Parse("2026-11-29T09:10:00.254017Z", CultureInfo.InvariantCulture);
    private const string VoteLeafHash = "88064f8bb46e94bd0f50953b1fa0da63e3c09d62cd9affc05851005b6b4e15f7";

    [Fact]
    public void The_service_hashes_the_vector_vote_row_to_its_checked_in_leaf_hash()
    {
        Convert.ToHexStringLower(LeafDocument.HashEvent(5, VoteId, Resolution, 3, "vote_cast", CastAt, Encoding.UTF8.GetBytes(VoteData),
            "5d6c9a1e-2b47-4f0e-9a31-7c2d8e4f6a01", "a8d6f0652ef424d7ef8816350113f80d", null, default, false, "*DEFAULT*")).ShouldBe(VoteLeafHash);
        var document = LeafDocument.ForEvent(5, VoteId, Resolution, 3, "vote_cast", CastAt, JsonNode.Parse(VoteData),
            "5d6c9a1e-2b47-4f0e-9a31-7c2d8e4f6a01", "a8d6f0652ef424d7ef8816350113f80d", null, null, "*DEFAULT*");
        Convert.ToHexStringLower(LeafDocument.Hash(document)).ShouldBe(VoteLeafHash);
    }

    [Fact]
    public void Another_user_name_gives_another_leaf_than_the_vector()
    {
        Convert.ToHexStringLower(LeafDocument.HashEvent(5, VoteId, Resolution, 3, "vote_cast", CastAt, Encoding.UTF8.GetBytes(VoteData),
            "jemand-anderes", "a8d6f0652ef424d7ef8816350113f80d", null, default, false, "*DEFAULT*")).ShouldNotBe(VoteLeafHash);
    }
}
