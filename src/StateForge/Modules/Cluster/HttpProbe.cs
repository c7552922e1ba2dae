using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using StateForge.Transport.Kubernetes;

namespace StateForge.Modules.Cluster;

/// <summary>What one HTTP exchange gave: the values uri registers.</summary>
internal sealed record HttpOutcome(int Status, string Url, string Message, double Elapsed, string? Content, object? Json, IReadOnlyDictionary<string, string> Headers, bool Redirected);

/// <summary>Sends uri's request with the TLS, redirect and timeout rules it asked for.</summary>
internal static class HttpProbe
{
    public static async Task<HttpOutcome> SendAsync(UriParams p, CancellationToken cancellationToken)
    {
        using var handler = Handler(p);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = Request(p);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(p.Timeout));
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var headers = response.Headers.Concat(response.Content.Headers)
                .GroupBy(h => h.Key.Replace('-', '_').ToLowerInvariant())
                .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.Ordinal);
            var finalUrl = response.RequestMessage?.RequestUri?.ToString() ?? p.Url;
            var isJson = response.Content.Headers.ContentType?.MediaType is { } media && (media == "application/json" || media.EndsWith("+json", StringComparison.Ordinal));
            var reason = response.ReasonPhrase is { Length: > 0 } r ? r : response.StatusCode.ToString();
            var message = (int)response.StatusCode is >= 200 and < 400 ? $"OK ({Encoding.UTF8.GetByteCount(text)} bytes)" : $"HTTP Error {(int)response.StatusCode}: {reason}";
            return new HttpOutcome((int)response.StatusCode, finalUrl, message, clock.Elapsed.TotalSeconds,
                text, isJson ? ParseJson(text) : null, headers, !string.Equals(finalUrl, p.Url, StringComparison.Ordinal));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(p, clock, $"Request failed: timed out after {p.Timeout}s");
        }
        catch (HttpRequestException e)
        {
            return Failure(p, clock, $"Request failed: {Innermost(e)}");
        }
    }

    private static HttpOutcome Failure(UriParams p, Stopwatch clock, string message) =>
        new(-1, p.Url, message, clock.Elapsed.TotalSeconds, null, null, new Dictionary<string, string>(), false);

    private static SocketsHttpHandler Handler(UriParams p)
    {
        var method = p.Method.ToUpperInvariant();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = p.FollowRedirects == "all" || (p.FollowRedirects == "safe" && method is "GET" or "HEAD"),
            ConnectTimeout = TimeSpan.FromSeconds(p.Timeout),
        };
        if (!p.ValidateCerts)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (p.CaPath is { } caPath)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is not null && ChainsTo(certificate, roots, errors));
        }

        return handler;
    }

    private static bool ChainsTo(X509Certificate certificate, X509Certificate2Collection roots, SslPolicyErrors errors)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static HttpRequestMessage Request(UriParams p)
    {
        var request = new HttpRequestMessage(new HttpMethod(p.Method.ToUpperInvariant()), p.Url);
        if (p.UrlUsername is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{p.UrlUsername}:{p.UrlPassword}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        string? contentType = null;
        foreach (var (name, value) in p.Headers ?? new Dictionary<string, string>())
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                throw new ClusterTaskException($"header '{name}' cannot be set on a request");
            }
        }

        var (body, defaultType) = Body(p);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? defaultType);
        }

        return request;
    }

    private static (string? Body, string ContentType) Body(UriParams p) => (p.Body, p.BodyFormat) switch
    {
        (null, _) => (null, "text/plain"),
        (string s, "json") => (s, "application/json"),
        (string s, "form-urlencoded") => (s, "application/x-www-form-urlencoded"),
        (string s, _) => (s, "text/plain"),
        (var o, "json") => (JsonPlain.ToNode(o)?.ToJsonString(), "application/json"),
        (IEnumerable<KeyValuePair<string, object?>> form, "form-urlencoded") => (
            string.Join('&', form.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")}")),
            "application/x-www-form-urlencoded"),
        _ => throw new ClusterTaskException("body is a mapping or list: set body_format to json (or form-urlencoded for a flat mapping)"),
    };

    private static object? ParseJson(string text)
    {
        try
        {
            return JsonPlain.ToPlain(System.Text.Json.Nodes.JsonNode.Parse(text));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Innermost(Exception e)
    {
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            messages.Add(x.Message);
        }

        return string.Join(": ", messages.Distinct());
    }
}
