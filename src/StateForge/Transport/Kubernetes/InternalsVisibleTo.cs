using System.Runtime.CompilerServices;

// The module tests against the API test server use the transport's internals (client cache, error parsing).
[assembly: InternalsVisibleTo("StateForge.Cluster.Tests")]
