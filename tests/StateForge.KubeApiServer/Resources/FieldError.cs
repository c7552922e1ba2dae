namespace StateForge.KubeApiServer.Resources;

/// <summary>One validation failure, shaped like apimachinery's field.Error.</summary>
internal sealed record FieldError(string Reason, string Field, string Message)
{
    public static FieldError Required(string field, string detail = "") =>
        new("FieldValueRequired", field, detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    public static FieldError Forbidden(string field, string detail) =>
        new("FieldValueForbidden", field, $"Forbidden: {detail}");

    public static FieldError Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: {Quote(value)}: {detail}");

    public static FieldError NotSupported(string field, string value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field,
            $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(Quote))}");

    public static FieldError Duplicate(string field, string value) =>
        new("FieldValueDuplicate", field, $"Duplicate value: {Quote(value)}");

    public static FieldError NotFound(string field, string value) =>
        new("FieldValueNotFound", field, $"Not found: {Quote(value)}");

    public static FieldError Immutable(string field, string value) =>
        Invalid(field, value, "field is immutable");

    /// <summary>The line kubectl and the message use: "spec.x: Forbidden: …".</summary>
    public string Describe() => $"{Field}: {Message}";

    private static string Quote(string value) =>
        value.StartsWith('{') || value.StartsWith('[') || long.TryParse(value, out _) ? value : $"\"{value}\"";
}
