using System.Text;

namespace StateForge.Planning;

/// <summary>
/// Line diffs in the unified format of `diff -u`, computed with Myers' O(ND) algorithm in its
/// linear-space form (middle snake), so large files with many changes stay cheap.
/// </summary>
public static class TextDiff
{
    private const string NoNewline = "\\ No newline at end of file";

    /// <summary>
    /// The unified diff from <paramref name="before"/> to <paramref name="after"/>, with
    /// `---`/`+++` headers and `@@ -a,b +c,d @@` hunks; empty when the texts are equal.
    /// </summary>
    public static string Unified(string before, string after, string fromLabel, string toLabel, int context = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return "";
        }

        var a = SplitLines(before);
        var b = SplitLines(after);
        var ops = Diff(a, b);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(fromLabel).Append('\n');
        sb.Append("+++ ").Append(toLabel).Append('\n');
        foreach (var hunk in Hunks(ops, context))
        {
            WriteHunk(sb, ops, hunk, a, b);
        }

        return sb.ToString();
    }

    /// <summary>Lines with their terminator, so "x" at the end of a file differs from "x\n".</summary>
    internal static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var nl = text.IndexOf('\n', start);
            if (nl < 0)
            {
                lines.Add(text[start..]);
                break;
            }

            lines.Add(text[start..(nl + 1)]);
            start = nl + 1;
        }

        return lines;
    }

    internal enum OpKind
    {
        Equal,
        Delete,
        Insert,
    }

    /// <summary>One edit: a line of <c>a</c> kept or deleted, or a line of <c>b</c> inserted.</summary>
    internal readonly record struct Op(OpKind Kind, int A, int B);

    /// <summary>
    /// The shortest edit script from a to b; within each run of changes, deletions come before
    /// insertions as `diff` prints them.
    /// </summary>
    internal static List<Op> Diff(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        // Compare integers rather than strings in the inner loops.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var ai = a.Select(l => Intern(ids, l)).ToArray();
        var bi = b.Select(l => Intern(ids, l)).ToArray();
        var deleted = new bool[ai.Length];
        var inserted = new bool[bi.Length];
        new Myers(ai, bi, deleted, inserted).Compare(0, ai.Length, 0, bi.Length);

        var ops = new List<Op>(ai.Length + bi.Length);
        int x = 0, y = 0;
        while (x < ai.Length || y < bi.Length)
        {
            if (x < ai.Length && y < bi.Length && !deleted[x] && !inserted[y])
            {
                ops.Add(new Op(OpKind.Equal, x++, y++));
                continue;
            }

            while (x < ai.Length && deleted[x])
            {
                ops.Add(new Op(OpKind.Delete, x++, y));
            }

            while (y < bi.Length && inserted[y])
            {
                ops.Add(new Op(OpKind.Insert, x, y++));
            }
        }

        return ops;
    }

    private static int Intern(Dictionary<string, int> ids, string line)
    {
        if (!ids.TryGetValue(line, out var id))
        {
            id = ids.Count;
            ids[line] = id;
        }

        return id;
    }

    /// <summary>Groups edits into hunks: changes closer than 2×context lines share a hunk.</summary>
    private static IEnumerable<(int Start, int End)> Hunks(List<Op> ops, int context)
    {
        var i = 0;
        while (i < ops.Count)
        {
            while (i < ops.Count && ops[i].Kind == OpKind.Equal)
            {
                i++;
            }

            if (i == ops.Count)
            {
                yield break;
            }

            var start = Math.Max(0, i - context);
            var end = i;
            while (true)
            {
                while (end < ops.Count && ops[end].Kind != OpKind.Equal)
                {
                    end++;
                }

                var next = end;
                while (next < ops.Count && ops[next].Kind == OpKind.Equal)
                {
                    next++;
                }

                if (next < ops.Count && next - end <= 2 * context)
                {
                    end = next;
                    continue;
                }

                end = Math.Min(ops.Count, end + context);
                break;
            }

            yield return (start, end);
            i = end;
        }
    }

    private static void WriteHunk(StringBuilder sb, List<Op> ops, (int Start, int End) hunk, List<string> a, List<string> b)
    {
        var first = hunk.Start;
        int aCount = 0, bCount = 0;
        for (var k = hunk.Start; k < hunk.End; k++)
        {
            aCount += ops[k].Kind != OpKind.Insert ? 1 : 0;
            bCount += ops[k].Kind != OpKind.Delete ? 1 : 0;
        }

        sb.Append("@@ -").Append(Range(ops[first].A, aCount)).Append(" +").Append(Range(ops[first].B, bCount)).Append(" @@\n");
        for (var k = hunk.Start; k < hunk.End; k++)
        {
            var op = ops[k];
            var (prefix, line) = op.Kind switch
            {
                OpKind.Equal => (' ', a[op.A]),
                OpKind.Delete => ('-', a[op.A]),
                _ => ('+', b[op.B]),
            };
            sb.Append(prefix);
            if (line.EndsWith('\n'))
            {
                sb.Append(line);
            }
            else
            {
                sb.Append(line).Append('\n').Append(NoNewline).Append('\n');
            }
        }
    }

    /// <summary>`diff -u` ranges: "l,n", "l" when n is 1, and the line before when n is 0.</summary>
    private static string Range(int start, int count) => count switch
    {
        0 => $"{start},0",
        1 => $"{start + 1}",
        _ => $"{start + 1},{count}",
    };

    /// <summary>Myers' divide and conquer on the middle snake; marks deleted and inserted lines.</summary>
    private sealed class Myers(int[] a, int[] b, bool[] deleted, bool[] inserted)
    {
        public void Compare(int aLo, int aHi, int bLo, int bHi)
        {
            while (true)
            {
                // Common prefix and suffix never take part in the search.
                while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo])
                {
                    aLo++;
                    bLo++;
                }

                while (aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1])
                {
                    aHi--;
                    bHi--;
                }

                if (aLo == aHi)
                {
                    for (var j = bLo; j < bHi; j++)
                    {
                        inserted[j] = true;
                    }

                    return;
                }

                if (bLo == bHi)
                {
                    for (var i = aLo; i < aHi; i++)
                    {
                        deleted[i] = true;
                    }

                    return;
                }

                var (x, y, u, v) = MiddleSnake(aLo, aHi, bLo, bHi);
                Compare(aLo, x, bLo, y);
                (aLo, bLo) = (u, v);
            }
        }

        /// <summary>The middle snake (x,y)→(u,v) of an optimal path through the box.</summary>
        private (int X, int Y, int U, int V) MiddleSnake(int aLo, int aHi, int bLo, int bHi)
        {
            var n = aHi - aLo;
            var m = bHi - bLo;
            var delta = n - m;
            var odd = (delta & 1) != 0;
            var max = (n + m + 1) / 2;
            var offset = max + 1;
            var vf = new int[(2 * max) + 3];
            var vb = new int[(2 * max) + 3];

            // vf[k]: furthest x (relative) on forward diagonal k; vb[k]: furthest x on reverse diagonal k (relative to the end).
            vf[offset + 1] = 0;
            vb[offset + 1] = 0;
            for (var d = 0; d <= max; d++)
            {
                for (var k = -d; k <= d; k += 2)
                {
                    var x = k == -d || (k != d && vf[offset + k - 1] < vf[offset + k + 1])
                        ? vf[offset + k + 1]
                        : vf[offset + k - 1] + 1;
                    var y = x - k;
                    var (sx, sy) = (x, y);
                    while (x < n && y < m && a[aLo + x] == b[bLo + y])
                    {
                        x++;
                        y++;
                    }

                    vf[offset + k] = x;
                    var c = delta - k;
                    if (odd && c >= -(d - 1) && c <= d - 1 && x + vb[offset + c] >= n)
                    {
                        return (aLo + sx, bLo + sy, aLo + x, bLo + y);
                    }
                }

                for (var k = -d; k <= d; k += 2)
                {
                    var x = k == -d || (k != d && vb[offset + k - 1] < vb[offset + k + 1])
                        ? vb[offset + k + 1]
                        : vb[offset + k - 1] + 1;
                    var y = x - k;
                    var (sx, sy) = (x, y);
                    while (x < n && y < m && a[aHi - 1 - x] == b[bHi - 1 - y])
                    {
                        x++;
                        y++;
                    }

                    vb[offset + k] = x;
                    var c = delta - k;
                    if (!odd && c >= -d && c <= d && x + vf[offset + c] >= n)
                    {
                        return (aHi - x, bHi - y, aHi - sx, bHi - sy);
                    }
                }
            }

            throw new InvalidOperationException("no middle snake: unreachable for finite inputs");
        }
    }
}
