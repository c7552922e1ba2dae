using System.Text;

namespace StateForge.Tests.Inventory;

/// <summary>A short line-by-line diff for failing baseline comparisons.</summary>
internal static class LineDiff
{
    public static string Describe(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var sb = new StringBuilder();
        var shown = 0;
        for (var i = 0; i < Math.Max(e.Length, a.Length) && shown < 20; i++)
        {
            var el = i < e.Length ? e[i] : "<end>";
            var al = i < a.Length ? a[i] : "<end>";
            if (el != al)
            {
                sb.Append("line ").Append(i + 1).Append(":\n  - ").Append(el).Append("\n  + ").Append(al).Append('\n');
                shown++;
            }
        }

        return sb.ToString();
    }
}
