using System.Globalization;
using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NativeTests.NfTables.Transactions;

/// <summary>
/// The objects the transaction tests build, each with the nft text that means the same, so a
/// test can compare what the kernel holds (nft list) with what it asked for.
/// </summary>
internal static class SampleRuleset
{
    public const string Table = "txn";
    public const string Chain = "pre";

    public static Table NatTable(NetfilterFamily family = NetfilterFamily.IPv4) => new(family, Table);

    /// <summary>type nat hook prerouting priority dstnat; policy accept.</summary>
    public static Chain PreroutingChain(NetfilterFamily family = NetfilterFamily.IPv4, string name = Chain) => new(family, Table, name)
    {
        Hook = new ChainHook(ChainHooks.Prerouting, ChainPriorities.DestinationNat),
        Type = "nat",
        Policy = VerdictKind.Accept,
    };

    /// <summary>A regular chain (no hook).</summary>
    public static Chain RegularChain(string name, NetfilterFamily family = NetfilterFamily.IPv4) => new(family, Table, name);

    /// <summary>
    /// <c>tcp dport {port} dnat to {address}:8080</c> in an ip table: the expressions nft 1.0.6
    /// generates (nft --debug=netlink):
    /// <code>
    /// [ meta load l4proto => reg 1 ]
    /// [ cmp eq reg 1 0x00000006 ]
    /// [ payload load 2b @ transport header + 2 => reg 1 ]
    /// [ cmp eq reg 1 0x00005000 ]
    /// [ immediate reg 1 0x0100000a ]
    /// [ immediate reg 2 0x0000901f ]
    /// [ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]
    /// </code>
    /// </summary>
    public static Rule Dnat(ushort port, IPAddress address, ushort toPort = 8080, string chain = Chain) =>
        new(NetfilterFamily.IPv4, Table, chain, DnatExpressions(port, address, toPort));

    public static IReadOnlyList<NftExpression> DnatExpressions(ushort port, IPAddress address, ushort toPort = 8080) => new NftExpression[]
    {
        MetaExpression.Load(MetaKey.L4Proto, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
        PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(port)),
        new ImmediateExpression(Register.R1, NftData.FromIPAddress(address)),
        new ImmediateExpression(Register.R2, NftData.FromPort(toPort)),
        new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = Register.R1, ProtoMin = Register.R2, Flags = NatRangeFlags.ProtoSpecified },
    };

    /// <summary>
    /// <see cref="DnatExpressions"/> as the kernel dumps them back (FORMAT.md 2.7): the NAT
    /// ranges get max = min and NF_NAT_RANGE_MAP_IPS is added,
    /// <c>[ nat dnat ip addr_min reg 1 addr_max reg 1 proto_min reg 2 proto_max reg 2 flags 0x3 ]</c>.
    /// </summary>
    public static IReadOnlyList<NftExpression> DnatExpressionsAsDumped(ushort port, IPAddress address, ushort toPort = 8080)
    {
        var expressions = DnatExpressions(port, address, toPort).ToList();
        expressions[^1] = new NatExpression(NatType.Dnat, NetfilterFamily.IPv4)
        {
            AddressMin = Register.R1,
            AddressMax = Register.R1,
            ProtoMin = Register.R2,
            ProtoMax = Register.R2,
            Flags = NatRangeFlags.MapIps | NatRangeFlags.ProtoSpecified,
        };
        return expressions;
    }

    /// <summary>How nft lists <see cref="Dnat"/>.</summary>
    public static string DnatText(ushort port, IPAddress address, ushort toPort = 8080) =>
        string.Create(CultureInfo.InvariantCulture, $"tcp dport {port} dnat to {address}:{toPort}");

    /// <summary>The n-th of many distinct backend addresses: 10.x.y.z from n.</summary>
    public static IPAddress Backend(int n) => new(new[] { (byte)10, (byte)(n >> 16), (byte)(n >> 8), (byte)n });

    /// <summary>The n-th of many distinct destination ports (1024..).</summary>
    public static ushort Port(int n) => checked((ushort)(1024 + n));

    /// <summary>A rule that only accepts: the smallest rule there is.</summary>
    public static Rule Accept(string chain = Chain) => new(NetfilterFamily.IPv4, Table, chain, new NftExpression[] { new ImmediateExpression(Verdict.Accept) });

    /// <summary>A rule that counts and accepts (nft: counter packets 0 bytes 0 accept).</summary>
    public static Rule CountAndAccept(string comment, string chain = Chain) =>
        new Rule(NetfilterFamily.IPv4, Table, chain, new NftExpression[] { new CounterExpression(0, 0), new ImmediateExpression(Verdict.Accept) }).WithComment(comment);

    /// <summary>set "name" { type ipv4_addr; } (nft keeps a byte-order hint in the userdata: here none, as nft sends for ipv4_addr... the kernel does not care).</summary>
    public static Set AddressSet(string name, uint id = 1) => new(NetfilterFamily.IPv4, Table, name)
    {
        KeyType = SetDataTypes.IPv4Address,
        KeyLength = 4,
        Id = id,
    };

    /// <summary>The element of <see cref="AddressSet"/> for <paramref name="address"/>.</summary>
    public static SetElement Element(IPAddress address) => new(NftData.FromIPAddress(address));

    /// <summary>
    /// The rules of an nft listing of one chain with handles (<c>nft -a list chain</c>): each
    /// rule line without indentation, and its handle.
    /// </summary>
    public static List<(string Text, ulong Handle)> ListedRules(TestNamespace ns, string chain = Chain)
    {
        string output = ns.Nft("-a", "list", "chain", "ip", Table, chain);
        var rules = new List<(string, ulong)>();
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.Trim();
            int mark = line.LastIndexOf(" # handle ", StringComparison.Ordinal);
            if (mark < 0 || line.StartsWith("chain ", StringComparison.Ordinal) || line.StartsWith("table ", StringComparison.Ordinal))
            {
                continue;
            }
            rules.Add((line.Substring(0, mark), ulong.Parse(line.Substring(mark + " # handle ".Length), CultureInfo.InvariantCulture)));
        }
        return rules;
    }
}
