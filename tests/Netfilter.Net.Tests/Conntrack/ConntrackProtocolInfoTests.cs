using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>
/// CTA_PROTOINFO as <see cref="ConntrackEntry.ProtocolInfo"/>: one type per protocol, decoded
/// from what the kernel sent conntrack(8) (TCP, Captures/conntrack) and from the kernel's
/// layout written out byte by byte (SCTP and DCCP: the captures have none, since conntrack -I
/// of an SCTP state without tags is refused), encoded on create, and refused before sending
/// where the kernel would refuse it.
/// </summary>
public sealed class ConntrackProtocolInfoTests
{
    private const ProtocolType Sctp = (ProtocolType)132;
    private const ProtocolType Dccp = (ProtocolType)33;
    private const TcpConntrackFlags Liberal = TcpConntrackFlags.SackPermitted | TcpConntrackFlags.BeLiberal;

    private static readonly ConntrackTuple SctpTuple = new(IPAddress.Parse("10.0.1.2"), IPAddress.Parse("10.0.2.2"), Sctp) { SourcePort = 9000, DestinationPort = 9001 };
    private static readonly ConntrackTuple DccpTuple = new(IPAddress.Parse("10.0.1.2"), IPAddress.Parse("10.0.2.2"), Dccp) { SourcePort = 5000, DestinationPort = 5001 };

    [Fact]
    public void Tcp_state_window_scales_and_flags_decode_from_a_captured_dump()
    {
        List<ConntrackEntry> entries = ConntrackCaptureDecodeTests.DecodeReplies(CaptureFile.Load("conntrack/dump.txt"));

        // Made with conntrack -I --state ESTABLISHED: the flags it sends, no window scaling.
        ConntrackEntry made = entries.Single(e => e.Original.DestinationPort == 2222);
        made.ProtocolInfo.Should().Be(new TcpConntrackInfo
        {
            State = TcpConntrackState.Established,
            WindowScaleOriginal = 0,
            WindowScaleReply = 0,
            FlagsOriginal = Liberal,
            FlagsReply = Liberal,
        });
        entries.Single(e => e.Family == NetfilterFamily.IPv6).ProtocolInfo.Should().BeOfType<TcpConntrackInfo>()
            .Which.State.Should().Be(TcpConntrackState.SynSent);

        // A real connection on loopback: both SYNs offered window scaling and SACK.
        TcpConntrackInfo real = entries.Single(e => e.Original.DestinationPort == 8080).ProtocolInfo.Should().BeOfType<TcpConntrackInfo>().Subject;
        real.FlagsOriginal.Should().HaveFlag(TcpConntrackFlags.WindowScale).And.HaveFlag(TcpConntrackFlags.SackPermitted);
        real.FlagsReply.Should().HaveFlag(TcpConntrackFlags.WindowScale).And.HaveFlag(TcpConntrackFlags.SackPermitted);
        real.WindowScaleOriginal.Should().BeGreaterThan(0);

        entries.Where(e => e.Protocol != ProtocolType.Tcp).Should().OnlyContain(e => e.ProtocolInfo == null, "only TCP, SCTP and DCCP have protocol state");
        entries.Should().OnlyContain(e => e.OtherAttributes.Count == 0 || e.OtherAttributes.All(a => a.Type != CtaAttribute.ProtoInfo));
    }

    [Fact]
    public void Sctp_state_and_verification_tags_decode_from_the_kernels_layout()
    {
        // sctp_to_nlattr: CTA_PROTOINFO { CTA_PROTOINFO_SCTP { STATE u8, VTAG_ORIGINAL be32, VTAG_REPLY be32 } }
        ConntrackEntry entry = Decode(SctpTuple, """
            20 00 04 80
              1c 00 03 80
                05 00 01 00 04 00 00 00
                08 00 02 00 00 00 00 00
                08 00 03 00 12 34 56 78
            """);

        entry.ProtocolInfo.Should().Be(new SctpConntrackInfo
        {
            State = SctpConntrackState.Established,
            VerificationTagOriginal = 0,
            VerificationTagReply = 0x1234_5678,
        });
        entry.OtherAttributes.Should().BeEmpty();
    }

    [Fact]
    public void A_destroy_event_carries_the_sctp_state_alone()
    {
        // sctp_to_nlattr(..., destroy: true) stops after the state.
        ConntrackEntry entry = Decode(SctpTuple, "10 00 04 80  0c 00 03 80  05 00 01 00 07 00 00 00");

        entry.ProtocolInfo.Should().Be(new SctpConntrackInfo { State = SctpConntrackState.ShutdownAckSent });
    }

    [Fact]
    public void Dccp_state_role_and_handshake_sequence_decode_from_the_kernels_layout()
    {
        // dccp_to_nlattr: STATE u8, ROLE u8, HANDSHAKE_SEQ be64 (after a CTA_PROTOINFO_DCCP_PAD where the kernel needs one).
        ConntrackEntry entry = Decode(DccpTuple, """
            28 00 04 80
              24 00 02 80
                05 00 01 00 04 00 00 00
                05 00 02 00 01 00 00 00
                04 00 04 00
                0c 00 03 00 00 00 00 01 02 03 04 05
            """);

        entry.ProtocolInfo.Should().Be(new DccpConntrackInfo
        {
            State = DccpConntrackState.Open,
            Role = DccpConntrackRole.Server,
            HandshakeSequence = 0x1_0203_0405,
        });
        entry.OtherAttributes.Should().BeEmpty("CTA_PROTOINFO_DCCP_PAD is alignment, not data");
    }

    [Fact]
    public void A_sub_attribute_this_version_does_not_know_keeps_the_whole_nest_raw_beside_what_it_decoded()
    {
        byte[] protoInfo = Hex("18 00 04 80  14 00 01 80  05 00 01 00 03 00 00 00  08 00 09 00 aa bb cc dd");
        ConntrackEntry entry = Decode(ConntrackTuple.Tcp(IPAddress.Loopback, 1, IPAddress.Loopback, 2), protoInfo);

        entry.ProtocolInfo.Should().Be(new TcpConntrackInfo { State = TcpConntrackState.Established });
        entry.OtherAttributes.Should().ContainSingle().Which.Payload.ToArray().Should().Equal(protoInfo[4..]);
    }

    [Fact]
    public void A_new_sctp_entry_sends_its_state_and_both_tags()
    {
        var entry = new ConntrackEntry(SctpTuple)
        {
            Timeout = TimeSpan.FromSeconds(60),
            ProtocolInfo = new SctpConntrackInfo { State = SctpConntrackState.Established, VerificationTagOriginal = 0xa1b2_c3d4, VerificationTagReply = 0x1234_5678 },
        };

        byte[] request = Build(w => ConntrackRequests.Create(w, 1, entry));

        // nlattr_to_sctp needs all three; conntrack -I --state ESTABLISHED sends the state alone and is refused (EINVAL).
        Convert.ToHexString(request).Should().Contain(Convert.ToHexString(Hex("""
            20 00 04 80
              1c 00 03 80
                05 00 01 00 04 00 00 00
                08 00 02 00 a1 b2 c3 d4
                08 00 03 00 12 34 56 78
            """)));
        DecodeOne(request).ProtocolInfo.Should().Be(entry.ProtocolInfo);
    }

    [Fact]
    public void A_new_tcp_entry_sends_the_flags_and_window_scales_it_was_given()
    {
        var info = new TcpConntrackInfo
        {
            State = TcpConntrackState.Established,
            FlagsOriginal = TcpConntrackFlags.WindowScale | TcpConntrackFlags.SackPermitted,
            FlagsReply = TcpConntrackFlags.WindowScale,
            WindowScaleOriginal = 7,
            WindowScaleReply = 9,
        };
        var entry = new ConntrackEntry(ConntrackTuple.Tcp(IPAddress.Loopback, 1, IPAddress.Loopback, 2)) { Timeout = TimeSpan.FromSeconds(60), ProtocolInfo = info };

        byte[] request = Build(w => ConntrackRequests.Create(w, 1, entry));

        // conntrack(8)'s order: state, flags (with the flags as mask), window scales.
        Convert.ToHexString(request).Should().Contain(Convert.ToHexString(Hex("""
            30 00 04 80
              2c 00 01 80
                05 00 01 00 03 00 00 00
                06 00 04 00 03 03 00 00
                06 00 05 00 01 01 00 00
                05 00 02 00 07 00 00 00
                05 00 03 00 09 00 00 00
            """)));
        DecodeOne(request).ProtocolInfo.Should().Be(info);
    }

    [Fact]
    public void Protocol_state_the_kernel_would_refuse_is_refused_before_sending()
    {
        ConntrackEntry sctp = new(SctpTuple) { Timeout = TimeSpan.FromSeconds(60) };
        FluentActions.Invoking(() => ConntrackValidation.RequireCreatable(sctp with { ProtocolInfo = new SctpConntrackInfo { State = SctpConntrackState.Established } }, "entry"))
            .Should().Throw<ArgumentException>().WithParameterName("entry").WithMessage("*VerificationTagOriginal*VerificationTagReply*");
        FluentActions.Invoking(() => ConntrackValidation.RequireCreatable(new ConntrackEntry(DccpTuple) { Timeout = TimeSpan.FromSeconds(60), ProtocolInfo = new DccpConntrackInfo { State = DccpConntrackState.Open } }, "entry"))
            .Should().Throw<ArgumentException>().WithParameterName("entry").WithMessage("*DccpConntrackInfo*");
        ConntrackEntry tcp = new(ConntrackTuple.Tcp(IPAddress.Loopback, 1, IPAddress.Loopback, 2)) { Timeout = TimeSpan.FromSeconds(60) };
        FluentActions.Invoking(() => ConntrackValidation.RequireCreatable(tcp with { ProtocolInfo = new TcpConntrackInfo { State = (TcpConntrackState)10 } }, "entry"))
            .Should().Throw<ArgumentException>().WithParameterName("entry").WithMessage("*10*not a TCP conntrack state*");
        FluentActions.Invoking(() => ConntrackValidation.RequireUpdate(tcp.Original, new ConntrackUpdate { TcpState = (TcpConntrackState)10 }, "original", "update"))
            .Should().Throw<ArgumentException>().WithParameterName("update");

        // State of one protocol on an entry of another is refused where it is set.
        FluentActions.Invoking(() => tcp with { ProtocolInfo = new SctpConntrackInfo() })
            .Should().Throw<ArgumentException>().WithParameterName("ProtocolInfo").WithMessage("SctpConntrackInfo is sctp state; this entry is tcp*");
    }

    [Fact]
    public void Only_tcp_state_is_printed_in_an_entrys_line()
    {
        var tcp = new ConntrackEntry(ConntrackTuple.Tcp(IPAddress.Loopback, 1, IPAddress.Loopback, 2)) { ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.TimeWait } };
        var sctp = new ConntrackEntry(SctpTuple) { ProtocolInfo = new SctpConntrackInfo { State = SctpConntrackState.Established } };

        tcp.ToString().Should().Contain(" TimeWait ");
        sctp.ToString().Should().NotContain("Established");
    }

    private static ConntrackEntry Decode(ConntrackTuple original, string protoInfoHex) => Decode(original, Hex(protoInfoHex));

    /// <summary>A ctnetlink entry message: nfgenmsg, the original tuple, then the CTA_PROTOINFO bytes as given.</summary>
    private static ConntrackEntry Decode(ConntrackTuple original, byte[] protoInfo)
    {
        byte[] message = Build(w =>
        {
            NfnetlinkWriter.BeginMessage(w, NfnlSubsystem.Ctnetlink, CtnlMessageType.New, NetlinkMessageFlags.None, 1, NetfilterFamily.IPv4);
            TupleCodec.Encode(w, CtaAttribute.TupleOriginal, original);
            w.WriteRaw(protoInfo);
            w.EndMessage();
        });
        return DecodeOne(message);
    }

    private static ConntrackEntry DecodeOne(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        return ConntrackEntryDecoder.Decode(message);
    }

    /// <summary>Hex bytes, spaces and line breaks ignored.</summary>
    private static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(char.IsAsciiHexDigit)));

    private static byte[] Build(Action<NetlinkWriter> write)
    {
        using var writer = new NetlinkWriter();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }
}
