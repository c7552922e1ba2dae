using System.Collections;

namespace StateForge.Diagnostics;

/// <summary>Collects every problem found, so all of them are reported at once.</summary>
public sealed class DiagnosticBag : IReadOnlyList<Diagnostic>
{
    private readonly List<Diagnostic> items = [];
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    public Diagnostic this[int index]
    {
        get
        {
            lock (gate)
            {
                return items[index];
            }
        }
    }

    public bool HasErrors
    {
        get
        {
            lock (gate)
            {
                return items.Exists(d => d.IsError);
            }
        }
    }

    public void Add(Diagnostic diagnostic)
    {
        lock (gate)
        {
            items.Add(diagnostic);
        }
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            Add(d);
        }
    }

    /// <summary>Diagnostics in file, line, column order, without repeats.</summary>
    public IReadOnlyList<Diagnostic> Sorted()
    {
        lock (gate)
        {
            return items.Distinct()
                .OrderBy(d => d.Span.File, StringComparer.Ordinal)
                .ThenBy(d => d.Span.Line)
                .ThenBy(d => d.Span.Column)
                .ToList();
        }
    }

    public IEnumerator<Diagnostic> GetEnumerator()
    {
        lock (gate)
        {
            return items.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
