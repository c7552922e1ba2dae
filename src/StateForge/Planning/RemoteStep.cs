namespace StateForge.Planning;

/// <summary>A POSIX sh fragment that carries out (part of) a planned change on the host.</summary>
public sealed record RemoteStep(string Description, string Script);
