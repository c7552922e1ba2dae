using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StateForge.Transport;

namespace StateForge.Templating.Runtime;

/// <summary>Filters on strings and paths: lower, upper, trim, replace, quote, basename, b64encode, hash, indent, format, split, …</summary>
internal static class StringFilters
{
    public static void Register(FunctionRegistry r)
    {
        r.Filter("lower", "value", a => Text(a).ToLowerInvariant());
        r.Filter("upper", "value", a => Text(a).ToUpperInvariant());
        r.Filter("capitalize", "value", a => Capitalize(Text(a)));
        r.Filter("title", "value", a => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Text(a).ToLowerInvariant()));
        r.Filter("trim", "value chars", a => a.OptionalString("chars") is { } c ? Text(a).Trim(c.ToCharArray()) : Text(a).Trim());
        r.Filter("replace", "value old new count", a => Replace(Text(a), PyFormat.Str(a.Required("old")), PyFormat.Str(a.Required("new")), a.Long("count", -1)));
        r.Filter("string", "value", a => PyFormat.Str(a.Get("value")));
        r.Filter("quote", "value", a => Shell.Quote(PyFormat.Str(a.Get("value"))));
        r.Filter("basename", "value", a => Basename(Text(a)));
        r.Filter("dirname", "value", a => Dirname(Text(a)));
        r.Filter("splitext", "value", a => SplitExtension(Text(a)));
        r.Filter("b64encode", "value encoding", a => Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(a))));
        r.Filter("b64decode", "value encoding", a => Base64Decode(Text(a)));
        r.Filter("hash", "value hashtype", a => Hash(Text(a), a.OptionalString("hashtype") ?? "sha1"));
        r.Filter("checksum", "value", a => Hash(Text(a), "sha1"));
        r.Filter("md5", "value", a => Hash(Text(a), "md5"));
        r.Filter("sha1", "value", a => Hash(Text(a), "sha1"));
        r.Filter("indent", "value width first blank", Indent);
        r.Filter("center", "value width", a => Center(Text(a), (int)a.Long("width", 80)));
        r.Filter("format", "value *args", a => PercentFormat.Format(Text(a), a.Rest.Count == 1 && PyValue.IsMapping(a.Rest[0]) ? a.Rest[0] : a.Rest));
        r.Filter("split", "value separator maxsplit", a => Methods.Split(Text(a), a.OptionalString("separator"), a.Long("maxsplit", -1), fromRight: false));
        r.Filter("wordcount", "value", a => (long)Text(a).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
        r.Filter("truncate", "value length killwords end leeway", Truncate);
        r.Filter("escape", "value", a => System.Net.WebUtility.HtmlEncode(PyFormat.Str(a.Get("value"))));
        r.Alias(FunctionTable.FilterPrefix, "e", "escape");
        r.Filter("safe", "value", a => a.Get("value"));
        r.Filter("comment", "value style", a => Comment(Text(a)));
    }

    private static string Text(Args a) => PyFormat.Str(a.Get("value"));

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    /// <summary>Python's str.replace: every occurrence, or the first <paramref name="count"/>.</summary>
    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0)
        {
            return old.Length == 0 ? string.Join(replacement, ["", .. s.Select(c => c.ToString()), ""]) : s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var sb = new StringBuilder();
        var at = 0;
        for (var n = 0; n < count && old.Length > 0; n++)
        {
            var i = s.IndexOf(old, at, StringComparison.Ordinal);
            if (i < 0)
            {
                break;
            }

            sb.Append(s, at, i - at).Append(replacement);
            at = i + old.Length;
        }

        return sb.Append(s, at, s.Length - at).ToString();
    }

    private static string Basename(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static string Dirname(string path)
    {
        var i = path.LastIndexOf('/');
        if (i < 0)
        {
            return "";
        }

        var head = path[..(i + 1)];
        var trimmed = head.TrimEnd('/');
        return trimmed.Length == 0 ? head : trimmed;
    }

    private static List<object?> SplitExtension(string path)
    {
        var name = Basename(path);
        var dot = name.LastIndexOf('.');
        if (dot <= 0 || name[..dot].All(c => c == '.'))
        {
            return [path, ""];
        }

        var cut = path.Length - name.Length + dot;
        return [path[..cut], path[cut..]];
    }

    private static string Base64Decode(string s)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
        catch (FormatException)
        {
            throw new JinjaRuntimeException("b64decode: input is not valid base64");
        }
    }

    private static string Hash(string s, string type)
    {
        var data = Encoding.UTF8.GetBytes(s);
        var digest = type switch
        {
            "md5" => MD5.HashData(data),
            "sha1" => SHA1.HashData(data),
            "sha256" => SHA256.HashData(data),
            "sha384" => SHA384.HashData(data),
            "sha512" => SHA512.HashData(data),
            _ => throw new JinjaRuntimeException($"hash: unsupported hash type '{type}' (md5, sha1, sha256, sha384, sha512)"),
        };
        return Convert.ToHexStringLower(digest);
    }

    private static string Indent(Args a)
    {
        var width = a.Get("width") is string w ? w : new string(' ', (int)a.Long("width", 4));
        var lines = Text(a).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if ((i > 0 || a.Bool("first")) && (lines[i].Length > 0 || a.Bool("blank")))
            {
                lines[i] = width + lines[i];
            }
        }

        return string.Join('\n', lines);
    }

    private static string Center(string s, int width)
    {
        if (s.Length >= width)
        {
            return s;
        }

        var left = (width - s.Length) / 2;
        return new string(' ', left) + s + new string(' ', width - s.Length - left);
    }

    private static string Truncate(Args a)
    {
        var s = Text(a);
        var length = (int)a.Long("length", 255);
        var end = a.OptionalString("end") ?? "...";
        if (s.Length <= length + a.Long("leeway", 5))
        {
            return s;
        }

        var cut = s[..Math.Max(0, length - end.Length)];
        if (!a.Bool("killwords") && cut.LastIndexOf(' ') is var space and > 0)
        {
            cut = cut[..space];
        }

        return cut + end;
    }

    private static string Comment(string s) => "#\n" + string.Concat(s.Split('\n').Select(l => "# " + l + "\n")) + "#";
}
