namespace StateForge.Templating.Jinja;

/// <summary>
/// Scriban source made from a Jinja template, with anchors that map a position in it back to
/// the Jinja text, so runtime errors point at the user's line and column.
/// </summary>
internal sealed class EmittedCode(string code, IReadOnlyList<int> emitted, IReadOnlyList<int> original)
{
    public string Code { get; } = code;

    /// <summary>The Jinja offset of the construct that produced the Scriban code at <paramref name="offset"/>.</summary>
    public int MapToSource(int offset)
    {
        var lo = 0;
        var hi = emitted.Count - 1;
        var best = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (emitted[mid] <= offset)
            {
                best = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return best < 0 ? -1 : original[best];
    }

    public override string ToString() => Code;
}
