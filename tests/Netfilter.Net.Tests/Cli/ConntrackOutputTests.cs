using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Json;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Tests.Cli;

/// <summary>
/// <c>conntrack list</c> and <c>watch</c> write entries in place (ConntrackText.WriteLine,
/// ConntrackJson.WriteEntry) instead of through strings and serializer objects: the text is the
/// same as the library's ToString-based line it replaced, and the JSON is the README's ENTRY.
/// </summary>
public sealed class ConntrackOutputTests
{
    private static readonly ConntrackEntry s_natBoth = new(
        ConntrackTuple.Tcp(IPAddress.Parse("10.0.1.2"), 40000, IPAddress.Parse("10.0.1.1"), 2222),
        ConntrackTuple.Tcp(IPAddress.Parse("10.0.2.2"), 22, IPAddress.Parse("10.0.2.1"), 40000))
    {
        ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.Established },
        Timeout = TimeSpan.FromSeconds(117),
        Status = ConntrackStatus.SeenReply | ConntrackStatus.Assured | ConntrackStatus.Confirmed | ConntrackStatus.SourceNat | ConntrackStatus.DestinationNat,
        Mark = 0x1f,
        Zone = 2,
        Id = 77,
    };

    private static readonly ConntrackEntry s_icmp = new(ConntrackTuple.Icmp(IPAddress.Parse("10.0.1.2"), IPAddress.Parse("10.0.2.2"), 8, 0, 7))
    {
        Status = ConntrackStatus.Confirmed | (ConntrackStatus)(1u << 30),
        Timeout = TimeSpan.FromSeconds(29),
    };

    private static readonly ConntrackEntry s_udp6SourceNat = new(
        ConntrackTuple.Udp(IPAddress.Parse("fd00::2"), 5353, IPAddress.Parse("fd00:1::9"), 53),
        ConntrackTuple.Udp(IPAddress.Parse("fd00:1::9"), 53, IPAddress.Parse("fd00:1::1"), 61000));

    private static readonly ConntrackEntry s_plainTcp6 = new(ConntrackTuple.Tcp(IPAddress.Parse("::1"), 1234, IPAddress.Parse("::1"), 80))
    {
        ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.TimeWait },
    };

    private static readonly ConntrackEntry s_sctp = new(new ConntrackTuple(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), (System.Net.Sockets.ProtocolType)132) { SourcePort = 1000, DestinationPort = 2000 })
    {
        ProtocolInfo = new SctpConntrackInfo { State = SctpConntrackState.CookieWait, VerificationTagOriginal = 1, VerificationTagReply = 2 },
        Timeout = TimeSpan.FromSeconds(99),
    };

    private static readonly ConntrackEntry s_dccp = new(new ConntrackTuple(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), (System.Net.Sockets.ProtocolType)33) { SourcePort = 1000, DestinationPort = 2000 })
    {
        ProtocolInfo = new DccpConntrackInfo { State = DccpConntrackState.PartOpen },
    };

    public static IEnumerable<object[]> Entries() => new[]
    {
        new object[] { s_natBoth }, new object[] { s_icmp }, new object[] { s_udp6SourceNat }, new object[] { s_plainTcp6 },
        new object[] { s_sctp }, new object[] { s_dccp },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void The_text_line_is_the_one_built_from_the_library_strings(ConntrackEntry entry)
    {
        ConntrackText.Line(entry).Should().Be(LibraryLine(entry));
    }

    [Fact]
    public void Text_lines_read_as_before()
    {
        ConntrackText.Line(s_natBoth).Should().Be(
            "tcp 10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40000 ESTABLISHED timeout 117s [SEEN_REPLY ASSURED CONFIRMED SRC_NAT DST_NAT] mark 0x1f zone 2");
        ConntrackText.Line(s_icmp).Should().Be("icmp 10.0.1.2 -> 10.0.2.2 type 8 code 0 id 7 timeout 29s [CONFIRMED BIT30]");
        ConntrackText.Line(s_udp6SourceNat).Should().Be("udp [fd00::2]:5353 -> [fd00:1::9]:53 was sent from [fd00:1::1]:61000");
        ConntrackText.Line(s_plainTcp6).Should().Be("tcp [::1]:1234 -> [::1]:80 TIME_WAIT");
    }

    [Fact]
    public void Sctp_and_dccp_entries_show_their_state_in_conntracks_words()
    {
        ConntrackText.Line(s_sctp).Should().Be("sctp 10.0.0.1:1000 -> 10.0.0.2:2000 COOKIE_WAIT timeout 99s");
        ConntrackText.Line(s_dccp).Should().Be("dccp 10.0.0.1:1000 -> 10.0.0.2:2000 PARTOPEN");
        Json(s_sctp).Should().Contain(Quoted("'state':'COOKIE_WAIT'"));
        Json(s_dccp).Should().Contain(Quoted("'state':'PARTOPEN'"));
        Json(s_udp6SourceNat).Should().NotContain("state");
        foreach (SctpConntrackState state in Enum.GetValues<SctpConntrackState>())
        {
            ConntrackText.State(state).Should().MatchRegex("^[A-Z_]+$", "every named state has conntrack's word");
        }
        foreach (DccpConntrackState state in Enum.GetValues<DccpConntrackState>())
        {
            ConntrackText.State(state).Should().MatchRegex("^[A-Z_]+$");
        }
        ConntrackText.State((SctpConntrackState)42).Should().Be("42");
    }

    [Fact]
    public void A_translated_entry_is_the_readmes_entry_object()
    {
        Json(s_natBoth).Should().Be(Quoted(
            "{'family':'ipv4','protocol':'tcp','original':{'source':'10.0.1.2','destination':'10.0.1.1','sourcePort':40000,'destinationPort':2222},"
            + "'reply':{'source':'10.0.2.2','destination':'10.0.2.1','sourcePort':22,'destinationPort':40000},'state':'ESTABLISHED','timeout':117,"
            + "'status':['SEEN_REPLY','ASSURED','CONFIRMED','SRC_NAT','DST_NAT'],'mark':31,'zone':2,'id':77,"
            + "'translation':{'originalSource':'10.0.1.2:40000','originalDestination':'10.0.1.1:2222','translatedDestination':'10.0.2.2:22',"
            + "'translatedSource':'10.0.2.1:40000','destinationTranslated':true,'sourceTranslated':true,"
            + "'text':'10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40000'}}"));
    }

    [Fact]
    public void Fields_that_do_not_apply_are_left_out()
    {
        Json(s_icmp).Should().Be(Quoted(
            "{'family':'ipv4','protocol':'icmp','original':{'source':'10.0.1.2','destination':'10.0.2.2','icmpType':8,'icmpCode':0,'icmpId':7},"
            + "'reply':{'source':'10.0.2.2','destination':'10.0.1.2','icmpType':0,'icmpCode':0,'icmpId':7},'timeout':29,'status':['CONFIRMED','BIT30'],'mark':0,'zone':0}"));
        Json(s_udp6SourceNat).Should().Contain(Quoted(
            "'translation':{'originalSource':'[fd00::2]:5353','originalDestination':'[fd00:1::9]:53','translatedDestination':'[fd00:1::9]:53','translatedSource':'[fd00:1::1]:61000','destinationTranslated':false,'sourceTranslated':true,"));
    }

    /// <summary>JSON written with apostrophes for quotes, to read in C#.</summary>
    private static string Quoted(string apostrophes) => apostrophes.Replace('\'', '"');

    private static string Json(ConntrackEntry entry)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, ConntrackJson.Options(indented: false)))
        {
            ConntrackJson.WriteEntry(writer, entry);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The line as nfnet built it before it streamed: from ConntrackNat.ToString and ConntrackTuple.ToString.</summary>
    private static string LibraryLine(ConntrackEntry entry)
    {
        var sb = new StringBuilder();
        sb.Append(ConntrackText.Protocol(entry.Protocol)).Append(' ');
        if (entry.Translation is ConntrackNat nat)
        {
            sb.Append(nat);
        }
        else
        {
            string tuple = entry.Original.ToString();
            sb.Append(tuple.AsSpan(tuple.IndexOf(' ', StringComparison.Ordinal) + 1));
        }
        string? state = entry.ProtocolInfo switch
        {
            TcpConntrackInfo { State: TcpConntrackState tcp } => ConntrackText.State(tcp),
            SctpConntrackInfo { State: SctpConntrackState sctp } => ConntrackText.State(sctp),
            DccpConntrackInfo { State: DccpConntrackState dccp } => ConntrackText.State(dccp),
            _ => null,
        };
        if (state is not null)
        {
            sb.Append(' ').Append(state);
        }
        if (entry.Timeout is TimeSpan timeout)
        {
            sb.Append(" timeout ").Append((long)timeout.TotalSeconds).Append('s');
        }
        List<string> status = ConntrackText.Status(entry.Status);
        if (status.Count > 0)
        {
            sb.Append(" [").Append(string.Join(' ', status)).Append(']');
        }
        if (entry.Mark != 0)
        {
            sb.Append(" mark 0x").Append(entry.Mark.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (entry.Zone != 0)
        {
            sb.Append(" zone ").Append(entry.Zone);
        }
        return sb.ToString();
    }
}
