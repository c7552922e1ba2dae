namespace StateForge.Lab;

/// <summary>
/// The lab cannot start on this machine (not root, a missing package, no network namespaces).
/// Its message says what is missing and how to install it: lab tests fail with it, never skip.
/// </summary>
public sealed class LabUnavailableException : Exception
{
    public LabUnavailableException(string message)
        : base(message)
    {
    }

    public LabUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
