namespace StateForge.Diagnostics;

/// <summary>Finds the nearest known name to a misspelt one (Damerau–Levenshtein distance).</summary>
public static class Suggestions
{
    public static string? Nearest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var allowed = Math.Max(1, Math.Min(3, name.Length / 3));
        var lower = name.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            // The distance is at least the difference in length: skip hopeless candidates (and a
            // megabyte-long name costs no more than a short one).
            if (Math.Abs(name.Length - candidate.Length) > allowed)
            {
                continue;
            }

            var d = Distance(lower, candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        return bestDistance <= allowed ? best : null;
    }

    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
