[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// These tests change the process's current directory: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
