namespace StateForge.Templating.Jinja;

/// <summary>A Jinja syntax error at an offset of the template text; the engine turns it into a <see cref="TemplateException"/>.</summary>
internal sealed class JinjaSyntaxException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}
