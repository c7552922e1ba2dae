using System.Text.RegularExpressions;
using StateForge.Diagnostics;
using StateForge.Modules;
using StateForge.Parsing;

namespace StateForge.Validation;

/// <summary>
/// Checks a task's module arguments before any host is contacted: names, required parameters,
/// literal types and choices, exclusive groups, the module's own rules. Templated values are
/// checked again once rendered.
/// </summary>
internal static partial class ArgumentChecker
{
    public static void Check(IModule module, YMapping args, SourceSpan moduleKeySpan, DiagnosticBag diagnostics)
    {
        var errors = new List<ConversionError>();
        var plain = (IDictionary<string, object?>)args.ToPlain()!;
        var record = ValueConverter.BindRecord(module.ParametersType, plain.AsReadOnly(), "", errors, lenient: true);
        var name = module.Info.Name;
        // A misspelt required parameter is one mistake, not two: its suggestion stands for "missing".
        var suggested = errors.Where(e => e.Kind == ConversionErrorKind.Unknown && e.Message.Length > 0).Select(e => e.Message).ToHashSet(StringComparer.Ordinal);
        foreach (var e in errors.Where(e => e.Kind != ConversionErrorKind.Required || !suggested.Contains(e.Path)))
        {
            var node = Locate(args, e.Path, out var keyNode);
            var at = e.Kind switch
            {
                ConversionErrorKind.Unknown => keyNode?.Span ?? node?.Span ?? moduleKeySpan,
                ConversionErrorKind.Required or ConversionErrorKind.Exclusive => moduleKeySpan,
                _ => node?.Span ?? moduleKeySpan,
            };
            diagnostics.Add(e.Kind switch
            {
                ConversionErrorKind.Unknown => DiagnosticCatalog.UnknownParameter(at, name, e.Path, e.Message.Length > 0 ? e.Message : null),
                ConversionErrorKind.Required => DiagnosticCatalog.MissingParameter(at, name, e.Path),
                ConversionErrorKind.Exclusive => new Diagnostic("SF0009", DiagnosticLevel.Error, $"module '{name}': {e.Message}", at),
                ConversionErrorKind.Choice => new Diagnostic("SF0008", DiagnosticLevel.Error, $"{name}.{e.Path} {e.Message}", at),
                ConversionErrorKind.Rule when node is YScalar { Style: YScalarStyle.Plain } s && s.ToPlain() is long l =>
                    DiagnosticCatalog.UnquotedOctalMode(at, s.Value, l),
                _ => new Diagnostic("SF0007", DiagnosticLevel.Error, $"{name}.{e.Path} {e.Message}", at),
            });
        }

        if (errors.Count == 0 && record is not null && !plain.Values.Any(ContainsTemplate))
        {
            foreach (var message in module.Validate(record))
            {
                diagnostics.Add(DiagnosticCatalog.InvalidValue(moduleKeySpan, $"module '{name}'", message));
            }
        }
    }

    public static bool ContainsTemplate(object? value) => value switch
    {
        string s => s.Contains("{{", StringComparison.Ordinal) || s.Contains("{%", StringComparison.Ordinal),
        IDictionary<string, object?> d => d.Values.Any(ContainsTemplate),
        IList<object?> l => l.Any(ContainsTemplate),
        _ => false,
    };

    /// <summary>Finds the node at a converter path such as `clients[1].host`.</summary>
    private static YNode? Locate(YNode root, string path, out YScalar? key)
    {
        key = null;
        YNode? node = root;
        foreach (Match m in PathPart().Matches(path))
        {
            if (m.Groups["name"].Success && node is YMapping map)
            {
                var entry = map.Entries.FirstOrDefault(x => x.Key.Value == m.Groups["name"].Value);
                key = entry?.Key;
                node = entry?.Value;
            }
            else if (m.Groups["index"].Success && node is YSequence seq && int.TryParse(m.Groups["index"].Value, out var i) && i < seq.Items.Length)
            {
                node = seq.Items[i];
            }
            else
            {
                return node;
            }

            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathPart();
}
