using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.Routing;
using Netfilter.Net.Sockets;
using Netfilter.Net.Tests.Fakes;
using NftRuleCodec = Netfilter.Net.NfTables.Internal.RuleCodec;
using RoutingRuleCodec = Netfilter.Net.Routing.RuleCodec;

namespace Netfilter.Net.Benchmarks.Fuzz;

/// <summary>
/// The decoders under fuzz, each with the seeds that reach it and what it does with a datagram:
/// decode every message with the decoder its type names, then use what came out (render it as
/// libnftnl text, re-encode it, print it), because a model that decodes but cannot be used is a
/// crash waiting for its caller. <see cref="Expressions"/> counts which expression decoders the
/// rule messages reached.
/// </summary>
public sealed class FuzzTargets
{
    private readonly Dictionary<string, long> _expressions = new(StringComparer.Ordinal);

    public FuzzTargets(FuzzSeeds seeds)
    {
        All = new List<FuzzTarget>
        {
            new("netlink framing and attributes", seeds.Netlink, d => DecodeWalker.Walk(d)),
            new("NLMSG_ERROR / extended ack", seeds.Errors, ExtendedAck),
            new("nftables objects and expressions", seeds.NfTables, NfTables),
            new("nftables monitor events", seeds.NfTables, d => NfTablesMonitor.Decode(d, new List<NfTablesEvent>())),
            new("conntrack entries, events, expectations, statistics", seeds.Conntrack, Conntrack),
            new("rtnetlink routes, lookups, rules, addresses, links", seeds.Routing, Routing),
            new("sock_diag listening sockets", seeds.SockDiag, SockDiag),
            new("IP_ORIGDSTADDR control messages", ControlMessages(), ControlMessage),
        };
    }

    public IReadOnlyList<FuzzTarget> All { get; }

    /// <summary>How many decoded expressions of each kind the rule messages produced.</summary>
    public IReadOnlyDictionary<string, long> Expressions => _expressions;

    private static void ExtendedAck(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (message.Type == NetlinkMessageType.Error)
            {
                NetlinkError error = NetlinkError.Decode(message);
                _ = error.ToString();
            }
            else if (message.Type == NetlinkMessageType.Done && message.Payload.Length > 4)
            {
                long budget = 1 << 16;
                DecodeWalker.WalkAttributes(message.Payload.Slice(4), 0, ref budget);
            }
        }
    }

    private void NfTables(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage m))
        {
            using var writer = new NetlinkWriter(256);
            writer.BeginMessage(m.Type, NetlinkMessageFlags.None, 1);
            switch (m.Type & 0xff)
            {
                case NfTablesMessageType.NewTable:
                    TableCodec.Write(writer, TableCodec.Decode(m), withFlags: true);
                    break;
                case NfTablesMessageType.NewChain:
                    ChainCodec.Write(writer, ChainCodec.Decode(m));
                    break;
                case NfTablesMessageType.NewSet:
                    SetCodec.Write(writer, SetCodec.Decode(m));
                    break;
                case NfTablesMessageType.NewSetElement:
                    (_, string table, string set, List<SetElement> elements) = SetElementCodec.Decode(m);
                    var text = new StringBuilder();
                    SetElementCodec.WriteHeader(writer, table, set, null);
                    foreach (SetElement element in elements)
                    {
                        NftDebugFormatter.AppendElement(text, element);
                        SetElementCodec.WriteElement(writer, element);
                    }
                    break;
                case NfTablesMessageType.NewGen:
                    _ = TableCodec.DecodeGeneration(m);
                    break;
                case NfTablesMessageType.NewObj:
                    ObjectCodec.Write(writer, ObjectCodec.Decode(m));
                    break;
                case NfTablesMessageType.NewFlowtable:
                    FlowtableCodec.Write(writer, FlowtableCodec.Decode(m));
                    break;
                default:
                    // NFT_MSG_NEWRULE, and whatever a mutated type turned into: the rule decoder, every expression behind it.
                    Rule rule = NftRuleCodec.Decode(m);
                    _ = NftDebugFormatter.Render(rule);
                    NftRuleCodec.Write(writer, rule);
                    foreach (NfTables.Expressions.NftExpression expression in rule.Expressions)
                    {
                        // A mangled name decodes as an unknown expression (kept raw): counted as one kind.
                        string name = expression is NfTables.Expressions.UnknownExpression ? "(unknown, kept raw)" : expression.Name;
                        _expressions[name] = _expressions.GetValueOrDefault(name) + 1;
                    }
                    break;
            }
            writer.EndMessage();
        }
    }

    private static void Conntrack(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (message.Type < NetlinkMessageType.MinType)
            {
                continue;
            }
            switch (message.Type & 0xff)
            {
                case CtnlMessageType.GetStats:
                    _ = ConntrackStatisticsDecoder.DecodeGlobal(message);
                    break;
                case CtnlMessageType.GetStatsCpu:
                    _ = ConntrackStatisticsDecoder.DecodeCpu(message);
                    break;
                default:
                    ConntrackEntry entry = ConntrackEntryDecoder.Decode(message);
                    _ = entry.ToString();
                    _ = entry.Translation?.ToString();
                    if (ConntrackEventDecoder.TryDecode(message, out ConntrackEvent? e))
                    {
                        _ = e?.Entry?.ToString();
                    }
                    try
                    {
                        // The same attribute numbers mean other things in an expectation: still a decode or a protocol error.
                        _ = ConntrackExpectationDecoder.Decode(message).ToString();
                    }
                    catch (NetlinkProtocolException)
                    {
                    }
                    break;
            }
        }
    }

    private static void Routing(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage message))
        {
            switch (message.Type)
            {
                case 16: // RTM_NEWLINK
                    _ = LinkCodec.DecodeIndex(message);
                    _ = LinkCodec.DecodeName(message);
                    break;
                case 20: // RTM_NEWADDR
                    _ = AddressCodec.Decode(message).ToString();
                    break;
                case 32: // RTM_NEWRULE
                    _ = RoutingRuleCodec.Decode(message).ToString();
                    break;
                case >= NetlinkMessageType.MinType:
                    // RTM_NEWROUTE, and any other type a mutation made: a route, and a lookup's answer for both families.
                    _ = RouteCodec.Decode(message).ToString();
                    _ = RouteCodec.DecodeLookup(message, IPAddress.Loopback).ToString();
                    _ = RouteCodec.DecodeLookup(message, IPAddress.IPv6Loopback).ToString();
                    break;
            }
        }
    }

    private static void SockDiag(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (message.Type >= NetlinkMessageType.MinType)
            {
                if (InetDiag.TryDecodeListening(message, ProtocolType.Tcp, out ListeningSocket tcp))
                {
                    _ = tcp.ToString();
                }
                if (InetDiag.TryDecodeListening(message, ProtocolType.Udp, out ListeningSocket udp))
                {
                    _ = udp.ToString();
                }
            }
        }
    }

    private static void ControlMessage(byte[] control)
    {
        _ = OriginalDestinationControlMessage.Find(control, control.Length % 2 == 0 ? 8 : 4)?.ToString();
        _ = OriginalDestinationControlMessage.Find(control, control.Length % 2 == 0 ? 4 : 8)?.ToString();
    }

    /// <summary>recvmsg's ancillary data holding an IPv4 or IPv6 original destination, for 64- and 32-bit size_t.</summary>
    private static List<byte[]> ControlMessages()
    {
        var seeds = new List<byte[]>();
        var v4 = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(v4, 2);
        BinaryPrimitives.WriteUInt16BigEndian(v4.AsSpan(2), 5353);
        new byte[] { 10, 0, 0, 1 }.CopyTo(v4, 4);
        var v6 = new byte[28];
        BinaryPrimitives.WriteUInt16LittleEndian(v6, 10);
        BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(2), 53);
        IPAddress.Parse("fe80::1").GetAddressBytes().CopyTo(v6, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(v6.AsSpan(24), 2);
        foreach (int wordSize in new[] { 8, 4 })
        {
            foreach ((int level, int type, byte[] data) in new[] { (0, OriginalDestinationControlMessage.IPv4Type, v4), (41, OriginalDestinationControlMessage.IPv6Type, v6) })
            {
                var buffer = new byte[128];
                int other = OriginalDestinationControlMessage.Write(buffer, 1, 29, new byte[8], wordSize); // SOL_SOCKET SO_TIMESTAMP first
                int length = other + OriginalDestinationControlMessage.Write(buffer.AsSpan(other), level, type, data, wordSize);
                seeds.Add(buffer.AsSpan(0, length).ToArray());
            }
        }
        return seeds;
    }
}

/// <summary>One decoder (or family of decoders) under fuzz: its name, its seeds, and what it does with a datagram.</summary>
public sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Seeds, Action<byte[]> Decode);
