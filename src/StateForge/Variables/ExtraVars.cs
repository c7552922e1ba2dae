using System.Collections.Immutable;
using StateForge.Diagnostics;
using StateForge.Parsing;

namespace StateForge.Variables;

/// <summary>Parses `-e` values as ansible-playbook does: `k=v k2=v2`, `@file.yml`, or inline YAML/JSON.</summary>
public static class ExtraVars
{
    public static ImmutableDictionary<string, object?> Parse(IEnumerable<string> values, DiagnosticBag diagnostics)
    {
        var result = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var text = value.Trim();
            if (text.StartsWith('@'))
            {
                var path = text[1..];
                if (!File.Exists(path))
                {
                    diagnostics.Add(DiagnosticCatalog.InvalidExtraVars($"file '{path}' not found"));
                    continue;
                }

                Merge(result, YamlLoader.LoadFile(path, diagnostics), path, diagnostics);
            }
            else if (text.StartsWith('{') || text.StartsWith('['))
            {
                Merge(result, YamlLoader.Load("<extra vars>", text, diagnostics), text, diagnostics);
            }
            else
            {
                foreach (var token in KeyValueArgs.Split(text))
                {
                    if (token.Key is null)
                    {
                        diagnostics.Add(DiagnosticCatalog.InvalidExtraVars($"'{token.Text}' is not KEY=VALUE, @FILE or JSON"));
                        continue;
                    }

                    result[token.Key] = token.Value;
                }
            }
        }

        return result.ToImmutable();
    }

    private static void Merge(ImmutableDictionary<string, object?>.Builder into, YNode? node, string source, DiagnosticBag diagnostics)
    {
        if (node is null)
        {
            return;
        }

        if (node is not YMapping m)
        {
            diagnostics.Add(DiagnosticCatalog.InvalidExtraVars($"'{source}' must hold a mapping of variables"));
            return;
        }

        foreach (var (k, v) in (IDictionary<string, object?>)m.ToPlain()!)
        {
            into[k] = v;
        }
    }
}
