using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;
using Netfilter.Net.Tests.Fakes;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Objects;

public sealed class ObjectTests
{
    private const NetfilterFamily Inet = NetfilterFamily.Inet;

    [Fact]
    public void Counter_with_values_and_comment_matches_nft()
    {
        // add counter inet t cnt1 { packets 1 bytes 2 ; comment "hi" ; }
        NftObject decoded = ObjectGolden.Verify("obj-counter", new CounterObject(Inet, "t", "cnt1") { Packets = 1, Bytes = 2, UserData = UserData.Comment("hi") });
        decoded.Comment.Should().Be("hi");
        decoded.ToString().Should().Be("table t name cnt1 use 0 [ counter pkts 1 bytes 2 ]");
    }

    [Fact]
    public void Quota_over_with_used_bytes_matches_nft() =>
        // add quota inet t q1 { over 100 mbytes used 10 bytes ; }
        ObjectGolden.Verify("obj-quota", new QuotaObject(Inet, "t", "q1", 100 * 1024 * 1024) { Consumed = 10, Flags = QuotaFlags.Inverted });

    [Fact]
    public void Packet_limit_matches_nft() =>
        // add limit inet t l1 { rate 10/second burst 5 packets ; }
        ObjectGolden.Verify("obj-limit", new LimitObject(Inet, "t", "l1", 10, 1) { Burst = 5, LimitType = LimitType.Packets, Flags = 0 });

    [Fact]
    public void Byte_limit_over_matches_nft() =>
        // add limit inet t l2 { rate over 1 mbytes/second burst 512 kbytes ; }
        ObjectGolden.Verify("obj-limit-bytes", new LimitObject(Inet, "t", "l2", 1024 * 1024, 1) { Burst = 512 * 1024, LimitType = LimitType.Bytes, Flags = LimitFlags.Inverted });

    [Fact]
    public void Ct_helper_matches_nft() =>
        // add ct helper inet t h1 { type "ftp" protocol tcp ; l3proto ip ; }: the name goes without a NUL
        ObjectGolden.Verify("obj-ct-helper", new CtHelperObject(Inet, "t", "h1", "ftp", layer3Protocol: 2, layer4Protocol: 6));

    [Fact]
    public void Ct_timeout_matches_nft()
    {
        // add ct timeout inet t to1 { protocol tcp ; l3proto ip ; policy = { established: 100, close: 4 } ; }
        IReadOnlyList<uint> timeouts = CtTimeoutObject.TcpTimeouts((3, 100), (8, 4));
        var decoded = (CtTimeoutObject)ObjectGolden.Verify("obj-ct-timeout", new CtTimeoutObject(Inet, "t", "to1", 2, 6, timeouts));
        decoded.Timeouts.Should().Equal(120, 60, 100, 120, 60, 30, 120, 4, 120, 300, 300);
    }

    [Fact]
    public void Ct_expectation_matches_nft() =>
        // add ct expectation inet t e1 { protocol tcp ; dport 21 ; timeout 10s ; size 8 ; l3proto ip ; }
        ObjectGolden.Verify("obj-ct-expectation", new CtExpectationObject(Inet, "t", "e1") { Layer3Protocol = 2, Layer4Protocol = 6, DestinationPort = 21, TimeoutMilliseconds = 10000, Size = 8 });

    [Fact]
    public void Synproxy_matches_nft() =>
        // add synproxy inet t sp1 { mss 1460 ; wscale 7 ; timestamp sack-perm ; }
        ObjectGolden.Verify("obj-synproxy", new SynproxyObject(Inet, "t", "sp1", 1460, 7, SynproxyFlags.Mss | SynproxyFlags.WindowScale | SynproxyFlags.Timestamp | SynproxyFlags.SackPermitted));

    [Fact]
    public void Secmark_matches_nft() =>
        // No LSM is active on the capturing kernel: add path only.
        ObjectGolden.Verify("obj-secmark", new SecmarkObject(Inet, "t", "sm1", "system_u:object_r:ssh_server_packet_t:s0"));

    [Fact]
    public void An_unknown_object_type_is_kept_raw_and_written_back_unchanged()
    {
        // A connlimit object (type 5, which nft cannot create): NFTA_CONNLIMIT_COUNT 10, NFTA_CONNLIMIT_FLAGS 1.
        byte[] data = Convert.FromHexString("08000100" + "0000000a" + "08000200" + "00000001");
        var original = new UnknownObject(Inet, "t", "cl", NftObjectType.Connlimit, data);
        byte[] bytes = ObjectGolden.Encode(original);
        NftObject decoded = ObjectGolden.Decode(bytes, Inet);
        decoded.Should().BeOfType<UnknownObject>().Which.Type.Should().Be(NftObjectType.Connlimit);
        Hex(ObjectGolden.Encode(decoded)).Should().Be(Hex(bytes));
    }

    [Fact]
    public void A_known_type_with_an_unknown_attribute_is_kept_raw()
    {
        // A counter object with an attribute 9 the counter does not have.
        var original = new UnknownObject(Inet, "t", "c", NftObjectType.Counter, Convert.FromHexString("0800090001020304"));
        NftObject decoded = ObjectGolden.Decode(ObjectGolden.Encode(original), Inet);
        decoded.Should().BeOfType<UnknownObject>();
        Hex(ObjectGolden.Encode(decoded)).Should().Be(Hex(ObjectGolden.Encode(original)));
    }

    [Fact]
    public void Ct_timeout_overrides_outside_the_protocol_are_refused() =>
        FluentActions.Invoking(() => CtTimeoutObject.UdpTimeouts((3, 10))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("overrides");
}
