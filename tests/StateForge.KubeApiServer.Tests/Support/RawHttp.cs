using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using StateForge.KubeApiServer.Hosting;

namespace StateForge.KubeApiServer.Tests.Support;

/// <summary>An HttpClient that trusts only the lab's CA, for requests the typed client cannot make.</summary>
public static class RawHttp
{
    public static HttpClient Create(KubeApiTestServer server, string? token)
    {
        var ca = X509Certificate2.CreateFromPem(server.CaCertificatePem);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is X509Certificate2 leaf && chain.Build(leaf);
        };
        var client = new HttpClient(handler) { BaseAddress = server.BaseUri };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
