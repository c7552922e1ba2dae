using System.Text;

namespace StateForge.Transport.Ssh;

/// <summary>
/// Reads a command's stdout as it arrives, so that what came before a lost connection is still
/// known: a batch's results of the steps that finished before the host went away.
/// </summary>
internal sealed class OutputCapture
{
    private readonly MemoryStream buffer = new();
    private readonly Lock gate = new();
    private readonly Task reading;

    public OutputCapture(Stream source) =>
        reading = Task.Factory.StartNew(() => Read(source), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Everything, once the command has ended (its output stream is complete).</summary>
    public async Task<string> AllAsync()
    {
        await reading.ConfigureAwait(false);
        return Received();
    }

    /// <summary>What arrived so far (the stream may never complete on a dead connection).</summary>
    public string Received()
    {
        lock (gate)
        {
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private void Read(Stream source)
    {
        var chunk = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = source.Read(chunk, 0, chunk.Length)) > 0)
            {
                lock (gate)
                {
                    buffer.Write(chunk, 0, n);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The command was disposed after its connection died: what arrived is all there is.
        }
    }
}
