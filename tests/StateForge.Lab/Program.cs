using StateForge.Lab.Registry;

return args switch
{
    ["registry-demo"] => await RegistryDemo.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: stateforge-lab registry-demo

        registry-demo  starts the registry lab (a systemd master, two nodes and a Kubernetes API
                       test server, all on this machine; needs root), runs playbooks/registry.yml
                       against it, checks it, drifts it by hand, finds and repairs the drift, and
                       removes the lab.
        """);
    return 64;
}
