using System.Text;

namespace StateForge.KubeApiServer.Hosting;

/// <summary>Writes a kubeconfig that kubectl and KubernetesClient both read: CA data, token, one context.</summary>
internal static class Kubeconfig
{
    public static string Render(Uri server, string caPem, string token, string contextName) =>
        $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{contextName}}
          cluster:
            server: {{server.ToString().TrimEnd('/')}}
            certificate-authority-data: {{Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))}}
        users:
        - name: {{contextName}}-admin
          user:
            token: {{token}}
        contexts:
        - name: {{contextName}}
          context:
            cluster: {{contextName}}
            user: {{contextName}}-admin
            namespace: default
        current-context: {{contextName}}
        preferences: {}

        """;
}
