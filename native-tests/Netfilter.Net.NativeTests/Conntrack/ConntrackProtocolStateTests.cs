using System.Buffers.Binary;
using System.IO;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>
/// The protocol state of real connections (CTA_PROTOINFO) as <see cref="ConntrackEntry.ProtocolInfo"/>
/// shows it, checked against <c>conntrack -L</c>: a TCP connection on loopback, and the start of
/// an SCTP handshake sent from a raw socket (the kernel tracks SCTP without an SCTP socket
/// stack, which this project's development kernel does not have), and an SCTP entry made by hand.
/// </summary>
public sealed class ConntrackProtocolStateTests
{
    /// <summary>Any conntrack expression makes the namespace track its traffic.</summary>
    internal const string Tracking = """
        table inet track {
          chain out {
            type filter hook output priority 0;
            ct state new counter
          }
        }
        """;

    [NativeFact]
    public async Task A_real_tcp_connection_shows_its_state_window_scales_and_flags()
    {
        using var ns = new TestNamespace("ctproto");
        ns.NftScript(Tracking);
        using Socket listener = Flows.Listen(ns, Flows.EndPoint("127.0.0.1", 9090));
        var (client, server) = await Flows.ConnectTcpAsync(ns, Flows.EndPoint("127.0.0.1", 41000), Flows.EndPoint("127.0.0.1", 9090), listener);
        using (client) using (server)
        {
            using var conntrack = new ConntrackClient(ns.Namespace);
            IReadOnlyList<ConntrackEntry> entries = await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp });
            ConntrackEntry entry = entries.Should().ContainSingle().Subject;

            TcpConntrackInfo tcp = entry.ProtocolInfo.Should().BeOfType<TcpConntrackInfo>().Subject;
            tcp.State.Should().Be(TcpConntrackState.Established);
            // Linux offers window scaling and SACK in both SYNs; conntrack saw the handshake,
            // so it checks windows (no BE_LIBERAL, which entries made by hand get).
            tcp.FlagsOriginal.Should().HaveFlag(TcpConntrackFlags.WindowScale).And.HaveFlag(TcpConntrackFlags.SackPermitted).And.NotHaveFlag(TcpConntrackFlags.BeLiberal);
            tcp.FlagsReply.Should().HaveFlag(TcpConntrackFlags.WindowScale).And.HaveFlag(TcpConntrackFlags.SackPermitted).And.NotHaveFlag(TcpConntrackFlags.BeLiberal);
            tcp.WindowScaleOriginal.Should().BeInRange(1, 14, "the SYN's window scale option (RFC 7323 caps it at 14)");
            tcp.WindowScaleReply.Should().BeInRange(1, 14);

            ConntrackToolLine line = ConntrackOracle.List(ns, "-p", "tcp").Should().ContainSingle().Subject;
            line.State.Should().Be("ESTABLISHED");
            ConntrackOracle.AssertSame(entries, new[] { line });
        }
    }

    [SctpConntrackFact]
    public async Task An_sctp_handshake_goes_from_closed_to_cookie_wait_and_records_both_verification_tags()
    {
        const uint ClientTag = 0x1234_5678, ServerTag = 0xa1b2_c3d4;
        using var ns = new TestNamespace("ctsctp");
        ns.NftScript(Tracking);
        using var conntrack = new ConntrackClient(ns.Namespace);
        // .NET opens no raw socket of protocol 132, so the packets go out whole, IP header
        // included (IPPROTO_RAW), through the output hooks as any locally generated packet.
        using Socket raw = Flows.Open(ns, AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);

        // The INIT (tag 0) names the tag the other side must use: nf_conntrack_proto_sctp
        // records it for the reply direction, and an INIT from nothing is CLOSED.
        raw.SendTo(Ipv4(IPAddress.Loopback, IPAddress.Loopback, 132, Sctp(9000, 9001, 0, SctpInitChunk, ClientTag)), loopback);
        ConntrackEntry entry = (await conntrack.ListAsync(new ConntrackFilter { Protocol = (ProtocolType)132 })).Should().ContainSingle().Subject;
        entry.Original.Should().Be(new ConntrackTuple(IPAddress.Loopback, IPAddress.Loopback, (ProtocolType)132) { SourcePort = 9000, DestinationPort = 9001 });
        entry.ProtocolInfo.Should().Be(new SctpConntrackInfo { State = SctpConntrackState.Closed, VerificationTagOriginal = 0, VerificationTagReply = ClientTag });
        ConntrackOracle.AssertSame(new[] { entry }, ConntrackOracle.List(ns, "-p", "sctp"));

        // The INIT_ACK answers with the client's tag and names its own for the original direction: COOKIE_WAIT.
        raw.SendTo(Ipv4(IPAddress.Loopback, IPAddress.Loopback, 132, Sctp(9001, 9000, ClientTag, SctpInitAckChunk, ServerTag)), loopback);
        IReadOnlyList<ConntrackEntry> entries = await conntrack.ListAsync(new ConntrackFilter { Protocol = (ProtocolType)132 });
        entries.Should().ContainSingle().Which.ProtocolInfo.Should().Be(new SctpConntrackInfo
        {
            State = SctpConntrackState.CookieWait,
            VerificationTagOriginal = ServerTag,
            VerificationTagReply = ClientTag,
        });
        List<ConntrackToolLine> tool = ConntrackOracle.List(ns, "-p", "sctp");
        tool.Should().ContainSingle().Which.State.Should().Be("COOKIE_WAIT");
        ConntrackOracle.AssertSame(entries, tool);
    }

    [SctpConntrackFact]
    public async Task A_new_sctp_entry_keeps_the_state_and_tags_it_was_created_with()
    {
        using var ns = new TestNamespace("ctsctpnew");
        ns.NftScript(Tracking);
        var info = new SctpConntrackInfo { State = SctpConntrackState.Established, VerificationTagOriginal = 0xa1b2_c3d4, VerificationTagReply = 0x1234_5678 };
        var wanted = new ConntrackEntry(new ConntrackTuple(IPAddress.Parse("10.0.1.2"), IPAddress.Parse("10.0.2.2"), (ProtocolType)132) { SourcePort = 9000, DestinationPort = 9001 })
        {
            Timeout = TimeSpan.FromSeconds(60),
            ProtocolInfo = info,
        };
        using var conntrack = new ConntrackClient(ns.Namespace);

        await conntrack.CreateAsync(wanted);

        ConntrackEntry got = (await conntrack.GetAsync(wanted.Original))!;
        got.ProtocolInfo.Should().Be(info);
        ConntrackOracle.List(ns, "-p", "sctp").Should().ContainSingle().Which.State.Should().Be("ESTABLISHED");
    }

    /// <summary>An IPv4 packet around <paramref name="payload"/>; the kernel fills in the header checksum (raw_send_hdrinc).</summary>
    private static byte[] Ipv4(IPAddress source, IPAddress destination, byte protocol, byte[] payload)
    {
        var packet = new byte[20 + payload.Length];
        packet[0] = 0x45; // version 4, 5 words of header
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64; // TTL
        packet[9] = protocol;
        source.TryWriteBytes(packet.AsSpan(12), out _);
        destination.TryWriteBytes(packet.AsSpan(16), out _);
        payload.CopyTo(packet, 20);
        return packet;
    }

    private const byte SctpInitChunk = 1;
    private const byte SctpInitAckChunk = 2;

    /// <summary>
    /// An SCTP packet of one INIT or INIT_ACK chunk (RFC 9260 3.3.2, 3.3.3; conntrack reads the
    /// initiate tag and no parameters), checksummed with CRC32c as the receiver checks it.
    /// </summary>
    private static byte[] Sctp(ushort sourcePort, ushort destinationPort, uint verificationTag, byte chunkType, uint initiateTag)
    {
        var packet = new byte[12 + 20];
        Span<byte> p = packet;
        BinaryPrimitives.WriteUInt16BigEndian(p, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(p[4..], verificationTag);
        p[12] = chunkType; // flags 0
        BinaryPrimitives.WriteUInt16BigEndian(p[14..], 20);
        BinaryPrimitives.WriteUInt32BigEndian(p[16..], initiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(p[20..], 65536); // a_rwnd
        BinaryPrimitives.WriteUInt16BigEndian(p[24..], 1); // outbound streams
        BinaryPrimitives.WriteUInt16BigEndian(p[26..], 1); // inbound streams
        BinaryPrimitives.WriteUInt32BigEndian(p[28..], 1); // initial TSN
        BinaryPrimitives.WriteUInt32LittleEndian(p[8..], Crc32c(packet));
        return packet;
    }

    // CRC32c (Castagnoli, reflected polynomial 0x82F63B78), SCTP's checksum (RFC 9260 appendix A).
    private static uint Crc32c(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1;
            }
        }
        return ~crc;
    }
}

/// <summary>
/// A native test that needs SCTP connection tracking (CONFIG_NF_CT_PROTO_SCTP, built in since
/// Linux 5.x where conntrack is): skipped, saying so, when a namespace that tracks has no
/// nf_conntrack_sctp_* sysctls.
/// </summary>
public sealed class SctpConntrackFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> s_missing = new(Probe);

    public SctpConntrackFactAttribute()
    {
        Skip = !Privileges.IsRoot ? "needs root: native tests create network namespaces" : s_missing.Value;
    }

    private static string? Probe()
    {
        using var ns = new TestNamespace("sctpprobe");
        ns.NftScript(ConntrackProtocolStateTests.Tracking);
        bool tracked = ns.Namespace.Run(() => File.Exists("/proc/sys/net/netfilter/nf_conntrack_sctp_timeout_established"));
        return tracked ? null : "the running kernel does not track SCTP (no net.netfilter.nf_conntrack_sctp_timeout_established: CONFIG_NF_CT_PROTO_SCTP is off)";
    }
}
