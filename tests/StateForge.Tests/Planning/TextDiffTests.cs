using StateForge.Planning;

namespace StateForge.Tests.Planning;

public sealed class TextDiffTests
{
    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    private static string Numbers(int count) => string.Concat(Enumerable.Range(1, count).Select(i => $"{i}\n"));

    [Fact]
    public void Unified_EqualTexts_IsEmpty() =>
        TextDiff.Unified("a\nb\n", "a\nb\n", "x", "y").Should().BeEmpty();

    [Fact]
    public void Unified_ChangeAndAppend_MatchesDiffU()
    {
        var before = Lines("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n");
        var after = Lines("a", "b", "c", "D", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "extra");

        TextDiff.Unified(before, after, "a1", "b1").Should().Be(
            "--- a1\n+++ b1\n" +
            "@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n" +
            "@@ -12,3 +12,4 @@\n l\n m\n n\n+extra\n");
    }

    [Fact]
    public void Unified_MissingFinalNewline_IsMarked() =>
        TextDiff.Unified("one\ntwo", "one\ntwo\n", "a", "b").Should().Be(
            "--- a\n+++ b\n@@ -1,2 +1,2 @@\n one\n-two\n\\ No newline at end of file\n+two\n");

    [Fact]
    public void Unified_BothWithoutFinalNewline_MarksBoth() =>
        TextDiff.Unified("same\nold", "same\nnew", "a", "b").Should().Be(
            "--- a\n+++ b\n@@ -1,2 +1,2 @@\n same\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n");

    [Fact]
    public void Unified_AddedLineWithoutNewline_IsMarked() =>
        TextDiff.Unified("a\nb\n", "a\nb\nc", "a", "b").Should().Be(
            "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n b\n+c\n\\ No newline at end of file\n");

    [Fact]
    public void Unified_FromEmpty_StartsAtZero() =>
        TextDiff.Unified("", "x\ny\n", "a", "b").Should().Be("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n");

    [Fact]
    public void Unified_ToEmpty_EndsAtZero() =>
        TextDiff.Unified("x\ny\n", "", "a", "b").Should().Be("--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n");

    [Fact]
    public void Unified_DistantChanges_MakeTwoHunks()
    {
        var after = Numbers(20).Replace("\n2\n", "\ntwo\n", StringComparison.Ordinal).Replace("\n18\n", "\neighteen\n", StringComparison.Ordinal);

        TextDiff.Unified(Numbers(20), after, "a", "b").Should().Be(
            "--- a\n+++ b\n" +
            "@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n" +
            "@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+eighteen\n 19\n 20\n");
    }

    [Fact]
    public void Unified_ChangesSixLinesApart_ShareAHunk()
    {
        var after = Numbers(20).Replace("\n2\n", "\ntwo\n", StringComparison.Ordinal).Replace("\n9\n", "\nnine\n", StringComparison.Ordinal);

        TextDiff.Unified(Numbers(20), after, "a", "b").Should().Be(
            "--- a\n+++ b\n" +
            "@@ -1,12 +1,12 @@\n 1\n-2\n+two\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+nine\n 10\n 11\n 12\n");
    }

    [Fact]
    public void Unified_ZeroContext_UsesLineBeforeForEmptyRange() =>
        TextDiff.Unified("a\nb\nc\n", "a\nc\n", "a", "b", context: 0).Should().Be("--- a\n+++ b\n@@ -2 +1,0 @@\n-b\n");

    [Fact]
    public void Unified_ReplacedBlock_PrintsDeletionsBeforeInsertions() =>
        TextDiff.Unified("k\n1\n2\nk\n", "k\nA\nB\nk\n", "a", "b").Should().Be(
            "--- a\n+++ b\n@@ -1,4 +1,4 @@\n k\n-1\n-2\n+A\n+B\n k\n");

    [Fact]
    public void Diff_RandomInputs_IsMinimalAndReproducesTarget()
    {
        var random = new Random(1234);
        for (var round = 0; round < 500; round++)
        {
            var a = Enumerable.Range(0, random.Next(0, 30)).Select(_ => "abc"[random.Next(3)] + "\n").ToList();
            var b = Enumerable.Range(0, random.Next(0, 30)).Select(_ => "abcd"[random.Next(4)] + "\n").ToList();

            var ops = TextDiff.Diff(a, b);

            var rebuilt = ops.Where(o => o.Kind != TextDiff.OpKind.Delete)
                .Select(o => o.Kind == TextDiff.OpKind.Equal ? a[o.A] : b[o.B]).ToList();
            rebuilt.Should().Equal(b);
            ops.Where(o => o.Kind != TextDiff.OpKind.Insert).Select(o => a[o.A]).Should().Equal(a);
            ops.Count(o => o.Kind == TextDiff.OpKind.Equal).Should().Be(Lcs(a, b), "Myers finds a shortest edit script");
        }
    }

    [Fact]
    public void Unified_LargeRewrite_FindsEveryChangedLine()
    {
        var before = string.Concat(Enumerable.Range(0, 20000).Select(i => $"line {i}\n"));
        var after = string.Concat(Enumerable.Range(0, 20000).Select(i => i % 3 == 0 ? $"changed {i}\n" : $"line {i}\n"));
        var diff = TextDiff.Unified(before, after, "a", "b");

        diff.Split('\n').Count(l => l.StartsWith("+changed", StringComparison.Ordinal)).Should().Be(6667);
    }

    private static int Lcs(List<string> a, List<string> b)
    {
        var t = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                t[i, j] = a[i] == b[j] ? t[i + 1, j + 1] + 1 : Math.Max(t[i + 1, j], t[i, j + 1]);
            }
        }

        return t[0, 0];
    }
}
