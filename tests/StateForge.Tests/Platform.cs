// The tests drive real Linux tools (sh, stat, ssh-keygen, iptables) on this machine.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
