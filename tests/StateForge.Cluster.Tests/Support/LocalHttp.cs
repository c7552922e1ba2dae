using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StateForge.Cluster.Tests.Support;

/// <summary>An HTTP server on 127.0.0.1 answering with a function; it records each request's method and body.</summary>
public sealed class LocalHttp : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerRequest, string, (int Status, string ContentType, string Body)> answer;
    private readonly Task loop;

    public LocalHttp(Func<HttpListenerRequest, string, (int Status, string ContentType, string Body)> answer)
    {
        this.answer = answer;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public List<(string Method, string Path, string Body, string? ContentType)> Requests { get; } = [];

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept: that is how the loop ends.
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            lock (Requests)
            {
                Requests.Add((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body, context.Request.ContentType));
            }

            var (status, contentType, text) = answer(context.Request, body);
            var bytes = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
