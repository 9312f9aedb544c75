using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Tests.Fakes;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class ObjrefExpressionTests
{
    [Fact]
    public void Named_counter_matches_nft() =>
        // counter name "cnt1": the name goes without a NUL (mnl_attr_put_str); the kernel dumps one.
        Verify("objref-counter", ObjrefExpression.Object(NftObjectType.Counter, "cnt1"));

    [Fact]
    public void Named_synproxy_matches_nft() =>
        Verify("objref-synproxy", ObjrefExpression.Object(NftObjectType.Synproxy, "sp1"));

    [Fact]
    public void Object_map_matches_nft() =>
        // counter name ip saddr map { 1.2.3.4 : "cnt1" }: the anonymous map is named by template and id.
        Verify("objref-map",
            MetaLoad(MetaKey.NfProto), Eq(Register.R1, "02"),
            PayloadExpression.Load(PayloadBase.Network, 12, 4, Register.R1),
            ObjrefExpression.Map(Register.R1, "__objmap%d", setId: 1));

    [Fact]
    public void The_decoded_kernel_names_have_no_nul()
    {
        var golden = SectionGoldenFile.Load("nftables-sections/objref-counter.golden");
        var objref = (ObjrefExpression)Decode(golden.Section("list").Bytes())[0];
        objref.ObjectName.Should().Be("cnt1");
        objref.ObjectType.Should().Be(NftObjectType.Counter);
        objref.IsMap.Should().BeFalse();
    }
}
