using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary>Creates an owner-bound NAT table named args[0] with one forward, prints "ready", and waits to be killed.</summary>
    public static async Task<int> HoldOwnedTableAsync(string[] args)
    {
        using var nat = new NatTable(args[0], new NatTableOptions { Lifetime = NatTableLifetime.OwnedByProcess });
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.9.9.9"), PortRange.Single(22)) });
        Console.WriteLine("ready");
        await Task.Delay(TimeSpan.FromMinutes(2));
        return 0;
    }
}
