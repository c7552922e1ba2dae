using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using StateForge.KubeApiServer.Api;

namespace StateForge.KubeApiServer.Security;

/// <summary>Accepts requests carrying "Authorization: Bearer {token}"; the rest get a 401 Status.</summary>
internal sealed class BearerTokenCheck(string token)
{
    private static readonly string[] Anonymous = ["/healthz", "/livez", "/readyz", "/version"];
    private readonly byte[] _expected = Encoding.UTF8.GetBytes($"Bearer {token}");

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public void Check(HttpRequest request)
    {
        // Like a real cluster's system:public-info-viewer role, health and version need no credentials.
        if (Anonymous.Contains(request.Path.Value?.TrimEnd('/')))
        {
            return;
        }

        var sent = Encoding.UTF8.GetBytes(request.Headers.Authorization.ToString());
        if (!CryptographicOperations.FixedTimeEquals(sent, _expected))
        {
            throw ApiErrors.Unauthorized();
        }
    }
}
