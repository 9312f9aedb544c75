using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary>
    /// <c>child nat-apply NAMESPACE COUNT</c>: one <see cref="NatTable.ApplyAsync"/> of COUNT forwards
    /// (tcp 10000+i to 10.1.x.y:22) to table inet nfnet of the named namespace, then "applied COUNT".
    /// The reliability tests kill it at random points. Conntrack cleanup is off: the namespace
    /// tracks no connections, and the old rules' cleanup would only add time (issue 15, D6).
    /// </summary>
    public static async Task<int> NatApplyAsync(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], out int count))
        {
            Console.Error.WriteLine("usage: child nat-apply NAMESPACE COUNT");
            return 2;
        }
        using var ns = NetworkNamespace.FromName(args[0]);
        using var table = new NatTable("nfnet", new NatTableOptions { Namespace = ns, FlushConntrackOnChange = false });
        await table.ApplyAsync(Forwards(count));
        Console.WriteLine($"applied {count}");
        return 0;
    }

    /// <summary>The first <paramref name="count"/> forwards of the reliability tests' series.</summary>
    public static IEnumerable<NatRule> Forwards(int count) => Enumerable.Range(0, count).Select(i =>
        new DnatRule(TransportProtocol.Tcp, PortRange.Single(10_000 + i), new IPAddress(new byte[] { 10, 1, (byte)(i >> 8), (byte)i }), PortRange.Single(22)));
}
