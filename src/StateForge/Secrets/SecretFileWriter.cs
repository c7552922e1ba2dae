namespace StateForge.Secrets;

/// <summary>
/// Replaces a file's content all at once: readers see the old file or the new one, never half of
/// either. The new content goes to a temp file beside the target, created 0600 so no one else can
/// read it even for a moment, flushed to disk, given the old file's mode, and renamed over it.
/// </summary>
public static class SecretFileWriter
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Null on success, else what went wrong (no content in it). A new file gets mode 0600.</summary>
    public static string? Write(string path, ReadOnlySpan<byte> content)
    {
        var target = ResolveLinks(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(target)) ?? ".";
        // Hidden and ending in ~: group_vars/ loading skips a temp file a crash left behind.
        var temp = Path.Combine(dir, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.sf-vault~");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows() && File.Exists(target))
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
            }

            File.Move(temp, target, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            return e.Message;
        }
    }

    /// <summary>Writing through a symlink replaces the file it points at, not the link.</summary>
    private static string ResolveLinks(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? path : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the name is hidden and ignored by loaders.
        }
    }
}
