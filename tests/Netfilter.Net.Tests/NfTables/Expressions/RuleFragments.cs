using System.Net;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>The expression sequences nft 1.0.6 emits for common matches, to spell golden rules out briefly.</summary>
internal static class RuleFragments
{
    public static Register R1 => Register.R1;

    public static Register R2 => Register.R2;

    /// <summary><c>meta l4proto P</c>: meta load l4proto, cmp eq 1 byte.</summary>
    public static NftExpression[] L4ProtoIs(byte protocol) =>
        new NftExpression[] { MetaExpression.Load(MetaKey.L4Proto, R1), new CmpExpression(CmpOperator.Equal, R1, NftData.FromByte(protocol)) };

    /// <summary><c>tcp dport N</c> as nft emits it: l4proto tcp, then the port.</summary>
    public static NftExpression[] TcpDportIs(ushort port) =>
        L4ProtoIs(6).Concat(DportIs(port)).ToArray();

    /// <summary>The port part: payload load 2b @ transport header + 2, cmp eq.</summary>
    public static NftExpression[] DportIs(ushort port) =>
        new NftExpression[] { LoadDport(), new CmpExpression(CmpOperator.Equal, R1, NftData.FromPort(port)) };

    public static PayloadExpression LoadDport() => PayloadExpression.Load(PayloadBase.Transport, 2, 2, R1);

    public static PayloadExpression LoadIPv4Saddr() => PayloadExpression.Load(PayloadBase.Network, 12, 4, R1);

    public static PayloadExpression LoadIPv6Saddr() => PayloadExpression.Load(PayloadBase.Network, 8, 16, R1);

    public static ImmediateExpression Imm(Register register, NftData data) => new(register, data);

    public static ImmediateExpression ImmAddress(Register register, string address) => new(register, NftData.FromIPAddress(IPAddress.Parse(address)));

    public static ImmediateExpression ImmPort(Register register, ushort port) => new(register, NftData.FromPort(port));

    public static NftData Host(uint value) => NftData.FromHostUInt32(value);

    public static NftExpression[] Rule(params object[] parts)
    {
        var list = new List<NftExpression>();
        foreach (object part in parts)
        {
            switch (part)
            {
                case NftExpression e: list.Add(e); break;
                case IEnumerable<NftExpression> many: list.AddRange(many); break;
                default: throw new ArgumentException($"not an expression: {part}", nameof(parts));
            }
        }
        return list.ToArray();
    }
}
