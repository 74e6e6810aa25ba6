using BundLaenderKoordination.Audit;
using Shouldly;

namespace BundLaenderKoordination.UnitTests.Auditing;

/// <summary>
/// Why a checkpoint body or a signed note is refused: each rule of the strict reading, with the reason the verifier
/// passes on to whoever checks a bundle (spelled out here, not taken from the reader).
/// </summary>
public sealed class CheckpointReadingTests
{
    private static readonly string Root = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private const string Time = "time 2026-11-29T05:00:30.000Z";

    [Theory]
    [InlineData(null, "A checkpoint body ends with a newline.")]
    [InlineData("o\n7\nROOT\nTIME", "A checkpoint body ends with a newline.")]
    [InlineData("o\n7\nROOT\n", "A checkpoint has an origin, a size, a root hash and a time line.")]
    [InlineData("\n7\nROOT\nTIME\n", "A checkpoint has an origin, a size, a root hash and a time line.")]
    [InlineData("o\n+7\nROOT\nTIME\n", "The checkpoint's size is not a number.")]
    [InlineData("o\nseven\nROOT\nTIME\n", "The checkpoint's size is not a number.")]
    [InlineData("o\n7\nAAAA\nTIME\n", "The checkpoint's root hash is not a base64 SHA-256 hash.")]
    [InlineData("o\n7\nnot base64!\nTIME\n", "The checkpoint's root hash is not a base64 SHA-256 hash.")]
    [InlineData("o\n7\nROOT\nother extension\n", "The checkpoint has no time line.")]
    [InlineData("o\n7\nROOT\ntime 2026-11-29\n", "The checkpoint has no time line.")]
    [InlineData("o\n7\nROOT\nTIME\nextra\n", "The checkpoint is not written in its one canonical form (extra lines or another spelling).")]
    [InlineData("o\n7\nROOT\nextra\nTIME\n", "The checkpoint is not written in its one canonical form (extra lines or another spelling).")]
    [InlineData("o\n07\nROOT\nTIME\n", "The checkpoint is not written in its one canonical form (extra lines or another spelling).")]
    public void A_checkpoint_body_is_refused_for_the_first_rule_it_breaks(string? body, string problem)
    {
        Checkpoint.TryParse(body?.Replace("ROOT", Root).Replace("TIME", Time), out var why).ShouldBeNull();
        why.ShouldBe(problem);
    }

    [Fact]
    public void A_body_in_its_one_form_is_read_with_every_value()
    {
        var checkpoint = Checkpoint.TryParse($"blk.example/log\n7\n{Root}\n{Time}\n", out var problem).ShouldNotBeNull();
        problem.ShouldBeNull();
        checkpoint.Origin.ShouldBe("blk.example/log");
        checkpoint.Size.ShouldBe(7);
        checkpoint.RootHash.ShouldBe(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        checkpoint.Time.ShouldBe(new DateTimeOffset(2026, 11, 29, 5, 0, 30, TimeSpan.Zero));
        Checkpoint.TryParse($"o\n0\n{Root}\n{Time}\n").ShouldNotBeNull().Size.ShouldBe(0);
    }

    [Fact]
    public void Two_checkpoints_are_of_the_same_tree_when_size_and_root_agree()
    {
        var root = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var other = root.ToArray();
        other[31] ^= 1;
        var at = new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);
        var checkpoint = new Checkpoint("o", 7, root, at);
        checkpoint.SameTree(new Checkpoint("p", 7, root.ToArray(), at.AddHours(1))).ShouldBeTrue("origin and time do not matter");
        checkpoint.SameTree(new Checkpoint("o", 8, root, at)).ShouldBeFalse();
        checkpoint.SameTree(new Checkpoint("o", 7, other, at)).ShouldBeFalse();
    }

    private static string Signature(string name, params byte[] payload) => $"\u2014 {name} {Convert.ToBase64String(payload)}";

    private static readonly string Good = Signature("log", 0, 0, 0, 10, 1, 2, 3);

    [Theory]
    [InlineData("", "The note is empty.")]
    [InlineData("text\r\n\nSIG\n", "The note holds the control character U+000D at 4.")]
    [InlineData("text\n\nSIG", "A signed note ends with a newline.")]
    [InlineData("text\nSIG\n", "A signed note has an empty line between its text and its signatures.")]
    [InlineData("text\n\n", "The note has no signature lines after its last empty line.")]
    [InlineData("text\n\n- log AAAAAAE=\n", "A signature line starts with an em dash (U+2014) and a space.")]
    [InlineData("text\n\n\u2014 log  AAAAAAE=\n", "A signature line is \"— name signature\", separated by single spaces.")]
    [InlineData("text\n\n\u2014 log\n", "A signature line is \"— name signature\", separated by single spaces.")]
    [InlineData("text\n\n\u2014 lo+g AAAAAAE=\n", "A key name holds no '+'.")]
    [InlineData("text\n\n\u2014 log AAAAAAE\n", "A signature is not canonical base64.")]
    [InlineData("text\n\n\u2014 log AAAAAA==\n", "A signature holds a 4-byte key id and at least one byte of signature.")]
    [InlineData("text\n\nSIG\nSIG\n", "The note is signed twice by the key log+0000000a.")]
    public void A_signed_note_is_refused_for_the_first_rule_it_breaks(string note, string problem)
    {
        SignedNote.TryParse(note.Replace("SIG", Good), out var why).ShouldBeNull();
        why.ShouldBe(problem);
    }

    [Fact]
    public void A_signed_note_is_read_with_its_big_endian_key_ids_and_written_back_as_it_was()
    {
        var text = $"text\n\n{Signature("log", 1, 2, 3, 4, 0xff)}\n{Signature("witness", 0xa0, 0, 0, 1, 7, 8)}\n";
        var note = SignedNote.TryParse(text, out var problem).ShouldNotBeNull();
        problem.ShouldBeNull();
        note.Text.ShouldBe("text\n");
        note.Signatures.Count.ShouldBe(2);
        (note.Signatures[0].KeyName, note.Signatures[0].KeyId).ShouldBe(("log", 0x01020304u));
        note.Signatures[0].Signature.ShouldBe(new byte[] { 0xff });
        (note.Signatures[1].KeyName, note.Signatures[1].KeyId).ShouldBe(("witness", 0xa0000001u));
        note.Signatures[1].Signature.ShouldBe(new byte[] { 7, 8 });
        note.ToString().ShouldBe(text);

        // The same name with another key id is another key; the last empty line separates.
        SignedNote.TryParse($"a\n\nb\n\n{Good}\n{Signature("log", 0, 0, 0, 11, 1)}\n").ShouldNotBeNull().Text.ShouldBe("a\n\nb\n");
    }

    [Fact]
    public void A_note_holds_at_most_a_hundred_signatures()
    {
        string Lines(int n) => string.Concat(Enumerable.Range(0, n).Select(i => Signature("k" + i, 0, 0, 0, 1, 9) + "\n"));
        SignedNote.TryParse("text\n\n" + Lines(100)).ShouldNotBeNull().Signatures.Count.ShouldBe(100);
        SignedNote.TryParse("text\n\n" + Lines(101), out var problem).ShouldBeNull();
        problem.ShouldBe("The note has more than 100 signatures.");
    }

    [Fact]
    public void Base64_is_read_only_in_its_canonical_padded_spelling()
    {
        NoteEncoding.TryBase64("AA==").ShouldBe(new byte[] { 0 });
        NoteEncoding.TryBase64("AAEC").ShouldBe(new byte[] { 0, 1, 2 });
        NoteEncoding.TryBase64("").ShouldBe(Array.Empty<byte>());
        NoteEncoding.TryBase64(null).ShouldBeNull();
        NoteEncoding.TryBase64("AA=").ShouldBeNull("not a multiple of four");
        NoteEncoding.TryBase64("AB==").ShouldBeNull("padding bits that are not zero");
        NoteEncoding.TryBase64("AA==\n").ShouldBeNull();
        NoteEncoding.TryBase64("A A=").ShouldBeNull();
    }

    [Fact]
    public void Key_names_and_note_characters_are_described_when_refused()
    {
        NoteEncoding.InvalidKeyName(null).ShouldBe("A key name is not empty.");
        NoteEncoding.InvalidKeyName("").ShouldBe("A key name is not empty.");
        NoteEncoding.InvalidKeyName("a+b").ShouldBe("A key name holds no '+'.");
        NoteEncoding.InvalidKeyName("a b").ShouldBe("A key name holds no whitespace.");
        NoteEncoding.InvalidKeyName("a\u00a0b").ShouldBe("A key name holds no whitespace.");
        NoteEncoding.InvalidKeyName("a\u0001").ShouldBe("The key name holds the control character U+0001 at 1.");
        NoteEncoding.InvalidKeyName("blk.example/log").ShouldBeNull();

        NoteEncoding.InvalidCharacter("a\nb", allowNewline: true).ShouldBeNull();
        NoteEncoding.InvalidCharacter("a\nb", allowNewline: false).ShouldBe("the control character U+000A at 1");
        NoteEncoding.InvalidCharacter("ab\u007f", allowNewline: true).ShouldBe("the control character U+007F at 2");
        NoteEncoding.InvalidCharacter("a\ud83d\ude00b", allowNewline: false).ShouldBeNull("a surrogate pair is one character");
        NoteEncoding.InvalidCharacter("a\ud83db", allowNewline: false).ShouldBe("a lone surrogate at 1 (not valid UTF-8)");
        NoteEncoding.InvalidCharacter("ab\ude00", allowNewline: false).ShouldBe("a lone surrogate at 2 (not valid UTF-8)");
        NoteEncoding.InvalidCharacter("a\ud83d", allowNewline: false).ShouldBe("a lone surrogate at 1 (not valid UTF-8)");
    }
}
