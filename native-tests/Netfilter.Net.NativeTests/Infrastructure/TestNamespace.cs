namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>
/// A throwaway named network namespace (ip netns add), with loopback up. Everything a test does
/// happens in here; Dispose deletes it, and with it every rule, conntrack entry and sysctl.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    private static int s_counter;
    private NetworkNamespace? _handle;

    public TestNamespace(string role = "ns")
    {
        Name = $"nfnt-{role}-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        Tool.Check("ip", "netns", "add", Name);
        try
        {
            Ip("link", "set", "lo", "up");
        }
        catch
        {
            Tool.Run("ip", new[] { "netns", "del", Name });
            throw;
        }
    }

    public string Name { get; }

    /// <summary>The library's handle on this namespace.</summary>
    public NetworkNamespace Namespace => _handle ??= NetworkNamespace.FromName(Name);

    /// <summary>Runs a command inside the namespace and returns its result.</summary>
    public Tool.Result Exec(string file, params string[] arguments) =>
        Tool.Run("ip", new[] { "netns", "exec", Name, file }.Concat(arguments));

    /// <summary>Runs a command inside the namespace; throws if it fails; returns stdout.</summary>
    public string Check(string file, params string[] arguments) =>
        Exec(file, arguments).EnsureSuccess($"[{Name}] {file} {string.Join(' ', arguments)}").StandardOutput;

    /// <summary>nft inside the namespace, reading a script from stdin when given.</summary>
    public string Nft(params string[] arguments) => Check("nft", arguments);

    /// <summary>Applies an nft script (nft -f -) inside the namespace.</summary>
    public void NftScript(string script) =>
        Tool.Run("ip", new[] { "netns", "exec", Name, "nft", "-f", "-" }, script).EnsureSuccess($"[{Name}] nft -f -");

    public string Ip(params string[] arguments) => Tool.Check("ip", new[] { "-n", Name }.Concat(arguments).ToArray());

    public void Dispose()
    {
        _handle?.Dispose();
        Tool.Run("ip", new[] { "netns", "del", Name });
    }
}
