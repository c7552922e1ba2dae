namespace StateForge.Parsing;

/// <summary>
/// Reads a file a playbook or inventory names, up to a limit: a device such as /dev/zero or an
/// endless /proc file would otherwise be read until memory runs out.
/// </summary>
public static class BoundedFile
{
    /// <summary>No playbook, inventory, vars file, template or manifest is larger than this.</summary>
    public const int Limit = 32 * 1024 * 1024;

    /// <summary>The file's bytes; an <see cref="IOException"/> when there are more than <see cref="Limit"/>.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        using var content = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (content.Length + read > Limit)
            {
                throw new IOException($"it is larger than {Limit / (1024 * 1024)} MiB (a device or an endless file?)");
            }

            content.Write(chunk, 0, read);
        }

        return content.ToArray();
    }

    /// <summary>The file as UTF-8 text, bounded as <see cref="ReadAllBytes"/>.</summary>
    public static async Task<string> ReadAllTextAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = await Task.Run(() => ReadAllBytes(path), cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
