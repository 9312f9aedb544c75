using System.Buffers.Binary;
using System.Text;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// nf_tables messages built by hand, attribute by attribute, with no help from the library's
/// encoder, so malformed shapes are as easy to build as valid ones. Used by the rule decoder's
/// property tests (RuleDecoderPropertyTests) and linked into the fuzzer
/// (native-tests/Netfilter.Net.Benchmarks/Fuzz/FuzzSeeds.cs), which wraps captured expression
/// lists in rules.
/// </summary>
internal static class NftMessageBuilder
{
    /// <summary>NFT_MSG_NEWRULE (linux/netfilter/nf_tables.h).</summary>
    public const byte NewRule = 6;

    /// <summary>NFT_MSG_NEWOBJ.</summary>
    public const byte NewObject = 18;

    /// <summary>NFT_MSG_NEWFLOWTABLE.</summary>
    public const byte NewFlowtable = 22;

    /// <summary>NFNL_SUBSYS_NFTABLES &lt;&lt; 8 | NFT_MSG_NEWRULE: the nlmsg_type of a rule.</summary>
    public const ushort NewRuleType = (10 << 8) | NewRule;

    /// <summary>
    /// An nf_tables message of type <paramref name="type"/> (NFT_MSG_*) holding <paramref name="attributes"/>
    /// after its nfgenmsg (family <paramref name="family"/>, version 0, res_id 0); sequence and port id 0.
    /// </summary>
    public static byte[] Message(byte type, byte family, byte[] attributes)
    {
        var m = new byte[16 + 4 + attributes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), (ushort)((10 << 8) | type)); // NFNL_SUBSYS_NFTABLES << 8 | type
        m[16] = family;
        attributes.CopyTo(m, 20);
        return m;
    }

    /// <summary>An NFT_MSG_NEWRULE holding <paramref name="attributes"/> (whatever they are) after its nfgenmsg.</summary>
    public static byte[] RuleMessage(byte family, byte[] attributes) => Message(NewRule, family, attributes);

    /// <summary>An NFT_MSG_NEWRULE of table "t", chain "c", handle 7, with <paramref name="expressions"/> as NFTA_RULE_EXPRESSIONS.</summary>
    public static byte[] RuleWithExpressions(byte family, byte[] expressions) => RuleMessage(family, Concat(
        Attribute(1, Encoding.ASCII.GetBytes("t\0")),                 // NFTA_RULE_TABLE
        Attribute(2, Encoding.ASCII.GetBytes("c\0")),                 // NFTA_RULE_CHAIN
        Attribute(3, new byte[] { 0, 0, 0, 0, 0, 0, 0, 7 }),          // NFTA_RULE_HANDLE
        Attribute(4 | 0x8000, expressions)));                         // NFTA_RULE_EXPRESSIONS

    /// <summary>
    /// One attribute (struct nlattr, NLA_ALIGN-padded) of type <paramref name="type"/> around
    /// <paramref name="payload"/>; a payload too long for nla_len gets nla_len 65535, as a malformed input.
    /// </summary>
    public static byte[] Attribute(ushort type, byte[] payload)
    {
        int length = 4 + payload.Length;
        var a = new byte[(length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)Math.Min(length, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), type);
        payload.CopyTo(a, 4);
        return a;
    }

    /// <summary><paramref name="parts"/> back to back.</summary>
    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
