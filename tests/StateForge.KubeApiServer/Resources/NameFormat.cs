using System.Text.RegularExpressions;

namespace StateForge.KubeApiServer.Resources;

internal enum NameFormat
{
    Dns1123Subdomain,
    Dns1123Label,
    Dns1035Label,
}

internal static partial class NameFormats
{
    public static FieldError? Check(NameFormat format, string name, string field = "metadata.name") => format switch
    {
        NameFormat.Dns1123Label when name.Length > 63 || !Label().IsMatch(name) => FieldError.Invalid(field, name,
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " +
            "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
        NameFormat.Dns1035Label when name.Length > 63 || !Dns1035().IsMatch(name) => FieldError.Invalid(field, name,
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic " +
            "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for " +
            "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
        NameFormat.Dns1123Subdomain when name.Length > 253 || !Subdomain().IsMatch(name) => FieldError.Invalid(field, name,
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
            "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        _ => null,
    };

    public static bool IsLabel(string value) => value.Length <= 63 && Label().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
