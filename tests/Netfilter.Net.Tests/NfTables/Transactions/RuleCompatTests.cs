using System.Buffers.Binary;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// NFTA_RULE_COMPAT: a rule holding an xtables match or target carries the layer-4 protocol
/// the kernel checks them against, derived from the rule's own protocol comparison, byte for
/// byte as iptables-nft 1.8.9 sends it (strace of iptables-nft -A INPUT ..., recorded in the
/// comments). The kernel never dumps it, so without this a rule read back from iptables-nft's
/// tables could not be recreated (multiport is refused with EINVAL without -p tcp).
/// </summary>
public sealed class RuleCompatTests
{
    private static readonly byte[] Multiport = Convert.FromHexString("010216005000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");

    /// <summary>The NFTA_RULE_COMPAT attribute (type 5, nested) of the one rule the transaction sends, or null.</summary>
    private static byte[]? CompatOf(Rule rule)
    {
        var transport = new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(NfTablesKernelModels.Accepting());
        using var client = new NfTablesClient(transport);
        client.CommitCoreAsync(new NfTablesTransaction().AddRule(rule), CancellationToken.None).GetAwaiter().GetResult();
        RawMessage message = RawMessage.Split(transport.Sent.Single()).Single(m => m.NfTablesMessage == 6);
        for (int at = RawMessage.HeaderLength + 4; at + 4 <= message.Bytes.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(message.Bytes.AsSpan(at));
            int type = BinaryPrimitives.ReadUInt16LittleEndian(message.Bytes.AsSpan(at + 2));
            if ((type & 0x3fff) == 5)
            {
                return message.Bytes.AsSpan(at, length).ToArray();
            }
            at += (length + 3) & ~3;
        }
        return null;
    }

    private static Rule XtRule(NetfilterFamily family, params NftExpression[] expressions) =>
        new(family, "filter", "INPUT", expressions.Append(new CounterExpression()).Append(new ImmediateExpression(Verdict.Accept)).ToArray());

    private static NftExpression L4Proto(CmpOperator op, byte protocol) => new CmpExpression(op, Register.R1, NftData.FromByte(protocol));

    [Fact]
    public void A_tcp_match_carries_protocol_6_as_iptables_nft_sends_it()
    {
        // iptables-nft -A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT:
        // [{nla_len=20, nla_type=NLA_F_NESTED|0x5}, "\x08\x00\x01\x00\x00\x00\x00\x06\x08\x00\x02\x00\x00\x00\x00\x00"]
        Rule rule = XtRule(NetfilterFamily.IPv4, MetaExpression.Load(MetaKey.L4Proto, Register.R1), L4Proto(CmpOperator.Equal, 6), new MatchExpression("multiport", 1, Multiport));

        CompatOf(rule).Should().Equal(Convert.FromHexString("1400058008000100000000060800020000000000"));
    }

    [Fact]
    public void An_inverted_protocol_sets_the_inversion_flag()
    {
        // iptables-nft -A INPUT ! -p udp -m comment --comment x -j ACCEPT: proto 17, flags 2 (NFT_RULE_COMPAT_F_INV)
        Rule rule = XtRule(NetfilterFamily.IPv4, MetaExpression.Load(MetaKey.L4Proto, Register.R1), L4Proto(CmpOperator.NotEqual, 17), new MatchExpression("comment", 0, new byte[256]));

        CompatOf(rule).Should().Equal(Convert.FromHexString("1400058008000100000000110800020000000002"));
    }

    [Fact]
    public void Without_a_protocol_match_the_protocol_is_0()
    {
        // iptables-nft -A INPUT -m addrtype --dst-type LOCAL -j ACCEPT: proto 0, flags 0
        Rule rule = XtRule(NetfilterFamily.IPv4, new MatchExpression("addrtype", 1, Convert.FromHexString("0000040000000000")));

        CompatOf(rule).Should().Equal(Convert.FromHexString("1400058008000100000000000800020000000000"));
    }

    [Fact]
    public void The_IPv4_header_protocol_byte_counts_as_the_protocol_in_an_ip_table_and_a_target_needs_it_too()
    {
        Rule rule = XtRule(NetfilterFamily.IPv4, PayloadExpression.Load(PayloadBase.Network, 9, 1, Register.R1), L4Proto(CmpOperator.Equal, 6), new TargetExpression("TCPMSS", 0, new byte[4]));

        CompatOf(rule).Should().Equal(Convert.FromHexString("1400058008000100000000060800020000000000"));
    }

    [Fact]
    public void A_rule_without_xtables_expressions_carries_no_compat_attribute_as_nft_sends_none()
    {
        Rule rule = XtRule(NetfilterFamily.Inet, MetaExpression.Load(MetaKey.L4Proto, Register.R1), L4Proto(CmpOperator.Equal, 6));

        CompatOf(rule).Should().BeNull();
    }
}
