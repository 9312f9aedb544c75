using System;
using System.Collections.Generic;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A conntrack timeout policy (nft "ct timeout NAME { protocol tcp; l3proto ip; policy = {
/// established: 100, close: 4 } }"), applied by <c>ct timeout set "NAME"</c>.
/// </summary>
/// <remarks>
/// <see cref="Timeouts"/> holds one value per conntrack state of the protocol, in the order of
/// its CTA_TIMEOUT_* attributes (uapi nfnetlink_cttimeout.h): index i is attribute i + 1. For TCP
/// that is SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE,
/// SYN_SENT2, RETRANS, UNACK; for UDP UNREPLIED, REPLIED. nft sends every state, filling the
/// ones not written with its defaults, and the kernel dumps every state.
/// </remarks>
public sealed record CtTimeoutObject : NftObject
{
    // uapi nf_tables.h, enum nft_ct_timeout_timeout_attributes
    private const ushort AttrL3Proto = 1; // NFTA_CT_TIMEOUT_L3PROTO (be16)
    private const ushort AttrL4Proto = 2; // NFTA_CT_TIMEOUT_L4PROTO (u8)
    private const ushort AttrData = 3;    // NFTA_CT_TIMEOUT_DATA (nested CTA_TIMEOUT_*, be32 seconds)

    // libnftnl obj/ct_timeout.c: the state names and the defaults it leaves out of its text.
    private static readonly string[] s_tcpStates = { "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2", "RETRANS", "UNACKNOWLEDGED" };
    private static readonly uint[] s_tcpDefaults = { 120, 60, 432000, 120, 60, 30, 120, 10, 120, 300, 300 };
    private static readonly string[] s_udpStates = { "UNREPLIED", "REPLIED" };
    private static readonly uint[] s_udpDefaults = { 30, 180 };

    /// <summary>A timeout policy named <paramref name="name"/> for <paramref name="layer4Protocol"/> over <paramref name="layer3Protocol"/>.</summary>
    public CtTimeoutObject(NetfilterFamily family, string table, string name, ushort? layer3Protocol = null, byte? layer4Protocol = null, IReadOnlyList<uint>? timeouts = null)
        : base(family, table, name)
    {
        Layer3Protocol = layer3Protocol;
        Layer4Protocol = layer4Protocol;
        Timeouts = timeouts;
    }

    /// <inheritdoc />
    public override NftObjectType Type => NftObjectType.CtTimeout;

    /// <summary>NFTA_CT_TIMEOUT_L3PROTO: NFPROTO_IPV4 (2) or NFPROTO_IPV6 (10), when present.</summary>
    public ushort? Layer3Protocol { get; init; }

    /// <summary>NFTA_CT_TIMEOUT_L4PROTO: IPPROTO_*, when present.</summary>
    public byte? Layer4Protocol { get; init; }

    /// <summary>NFTA_CT_TIMEOUT_DATA: seconds per state (see the remarks), when present.</summary>
    public IReadOnlyList<uint>? Timeouts { get; init; }

    /// <summary>
    /// The TCP timeouts nft starts from (libnftnl tcp_dflt_timeout), with <paramref name="overrides"/>
    /// (CTA_TIMEOUT_TCP_* attribute number, seconds) applied: what nft sends for
    /// <c>policy = { established: 100, close: 4 }</c> is <c>TcpTimeouts((3, 100), (8, 4))</c>.
    /// </summary>
    public static IReadOnlyList<uint> TcpTimeouts(params (int Attribute, uint Seconds)[] overrides) => WithOverrides(s_tcpDefaults, overrides);

    /// <summary>The UDP timeouts nft starts from (UNREPLIED 30, REPLIED 180), with <paramref name="overrides"/> applied.</summary>
    public static IReadOnlyList<uint> UdpTimeouts(params (int Attribute, uint Seconds)[] overrides) => WithOverrides(s_udpDefaults, overrides);

    internal override string DebugName => "ct_timeout";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_obj_ct_timeout_build order: L3PROTO, L4PROTO, DATA { 1..n }.
        if (Layer3Protocol is ushort l3) writer.WriteUInt16BigEndian(AttrL3Proto, l3);
        if (Layer4Protocol is byte l4) writer.WriteUInt8(AttrL4Proto, l4);
        if (Timeouts is not null)
        {
            using NetlinkNest nest = writer.BeginNested(AttrData);
            for (int i = 0; i < Timeouts.Count; i++)
            {
                writer.WriteUInt32BigEndian((ushort)(i + 1), Timeouts[i]);
            }
        }
    }

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "ct timeout object");
        ushort? l3 = null;
        byte? l4 = null;
        List<uint>? timeouts = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrL3Proto: l3 = a.GetUInt16BigEndian(); break;
                case AttrL4Proto: l4 = a.GetUInt8(); break;
                case AttrData:
                    timeouts = new List<uint>();
                    NetlinkAttributeReader states = a.GetNested("NFTA_CT_TIMEOUT_DATA");
                    while (states.TryRead(out NetlinkAttribute s))
                    {
                        if (s.Type != timeouts.Count + 1)
                        {
                            return null; // not the dense 1..n list nft and the kernel write: keep it raw
                        }
                        timeouts.Add(s.GetUInt32BigEndian());
                    }
                    break;
                default: return null;
            }
        }
        return new CtTimeoutObject(family, table, name, l3, l4, timeouts);
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_obj_ct_timeout_snprintf: the states that differ from its defaults, "NAME = N,"
        // each; protocols other than TCP and UDP have no table there, so nothing is listed.
        if (Layer3Protocol is ushort l3) builder.Append("family ").Append(l3).Append(' ');
        if (Layer4Protocol is byte l4) builder.Append("protocol ").Append(l4).Append(' ');
        if (Timeouts is null)
        {
            return;
        }
        (string[] names, uint[] defaults) = (Layer4Protocol ?? 0) switch
        {
            6 => (s_tcpStates, s_tcpDefaults),
            17 => (s_udpStates, s_udpDefaults),
            _ => (Array.Empty<string>(), Array.Empty<uint>()),
        };
        builder.Append("policy = {");
        for (int i = 0; i < names.Length; i++)
        {
            // libnftnl reads its fixed-size array: states the object lacks count as 0.
            uint value = i < Timeouts.Count ? Timeouts[i] : 0;
            if (value != defaults[i])
            {
                builder.Append(names[i]).Append(" = ").Append(value).Append(',');
            }
        }
        builder.Append('}');
    }

    private static IReadOnlyList<uint> WithOverrides(uint[] defaults, (int Attribute, uint Seconds)[] overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        uint[] values = (uint[])defaults.Clone();
        foreach ((int attribute, uint seconds) in overrides)
        {
            if (attribute < 1 || attribute > values.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(overrides), attribute, $"a state attribute is 1..{values.Length} for this protocol");
            }
            values[attribute - 1] = seconds;
        }
        return values;
    }
}
