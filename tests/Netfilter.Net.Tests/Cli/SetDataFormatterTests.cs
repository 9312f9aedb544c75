using System.Net;
using Netfilter.Net.Cli.Rulesets;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Tests.Cli;

/// <summary>The text format writes set keys and map data as values, from nft's datatype ids.</summary>
public sealed class SetDataFormatterTests
{
    private static readonly uint ProtoService = SetDataTypes.Concat(SetDataTypes.InetProtocol, SetDataTypes.InetService);

    [Fact]
    public void Concatenated_types_are_named_field_by_field()
    {
        SetDataFormatter.Fields(ProtoService).Should().Equal(SetDataTypes.InetProtocol, SetDataTypes.InetService);
        SetDataFormatter.TypeName(ProtoService).Should().Be("inet_proto . inet_service");
        SetDataFormatter.TypeName(SetDataTypes.IPv6Address).Should().Be("ipv6_addr");
        SetDataFormatter.TypeName(SetDataTypes.VerdictData).Should().Be("verdict");
    }

    [Fact]
    public void Values_are_written_as_a_person_writes_them()
    {
        SetDataFormatter.Format(NftData.Concat(NftData.FromByte(6), NftData.FromPort(2222)).Span, ProtoService).Should().Be("tcp . 2222");
        uint target = SetDataTypes.Concat(SetDataTypes.IPv4Address, SetDataTypes.InetService);
        SetDataFormatter.Format(NftData.Concat(NftData.FromIPAddress(IPAddress.Parse("10.0.2.2")), NftData.FromPort(22)).Span, target).Should().Be("10.0.2.2 . 22");
        SetDataFormatter.Format(NftData.FromIPAddress(IPAddress.Parse("fd02::2")).Span, SetDataTypes.IPv6Address).Should().Be("fd02::2");
        SetDataFormatter.Format(NftData.FromHostUInt32(0x10).Span, SetDataTypes.Mark).Should().Be("0x00000010");
        SetDataFormatter.Format(NftData.FromInterfaceName("eth0").Span, SetDataTypes.InterfaceName).Should().Be("\"eth0\"");
        SetDataFormatter.Format(new byte[] { 0, 0x16, 0x3e, 1, 2, 3 }, SetDataTypes.EtherAddress).Should().Be("00:16:3e:01:02:03");
    }

    [Fact]
    public void Bytes_that_do_not_fit_the_type_are_shown_as_hex()
    {
        SetDataFormatter.Format(new byte[] { 1, 2, 3 }, SetDataTypes.IPv4Address).Should().Be("0x010203");
        SetDataFormatter.Format(new byte[] { 6, 0, 0, 0, 8, 0xae }, ProtoService).Should().Be("0x0600000008ae", "the concatenation is one byte short");
        SetDataFormatter.Format(new byte[] { 1, 2 }, SetDataTypes.Integer).Should().Be("0x0102", "integers have no fixed width");
    }
}
