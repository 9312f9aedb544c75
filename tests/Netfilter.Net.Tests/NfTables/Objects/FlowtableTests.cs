using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.Tests.Fakes;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Objects;

// CONFIG_NF_FLOW_TABLE is off on the capturing kernel: these goldens have the add path only.
public sealed class FlowtableTests
{
    private static readonly Flowtable Model = new(NetfilterFamily.Inet, "t", "ft")
    {
        HookNumber = Flowtable.IngressHook,
        Priority = 0,
        Devices = new[] { "lo" },
        Flags = FlowtableFlags.None,
    };

    [Fact]
    public void Flowtable_matches_nft()
    {
        // add flowtable inet t ft { hook ingress priority 0 ; devices = { lo } ; }
        SectionGoldenFile golden = SectionGoldenFile.Load("nftables-sections/flowtable.golden");
        GoldenSection add = golden.Section("add");
        Hex(Encode(Model)).Should().Be(Hex(add.Bytes()));
        // nft printed the object before filling in its table and name.
        Model.ToString().Should().Be(add.Value("debug").Replace("flow table (null) (null)", "flow table t ft", StringComparison.Ordinal));

        Flowtable decoded = Decode(add.Bytes());
        decoded.Should().BeEquivalentTo(Model);
        Hex(Encode(decoded)).Should().Be(Hex(add.Bytes()));
    }

    [Fact]
    public void A_hook_without_priority_is_refused_before_sending() =>
        FluentActions.Invoking(() => new NfTablesTransaction().AddFlowtable(Model with { Priority = null }))
            .Should().Throw<ArgumentException>().WithParameterName("flowtable");

    private static byte[] Encode(Flowtable flowtable)
    {
        using var writer = new NetlinkWriter(256);
        FlowtableCodec.Write(writer, flowtable);
        return writer.WrittenSpan.ToArray();
    }

    private static Flowtable Decode(byte[] attributes)
    {
        using var writer = new NetlinkWriter(attributes.Length + 64);
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, NfTablesMessageType.NewFlowtable, NetlinkMessageFlags.None, 1, NetfilterFamily.Inet);
        writer.WriteRaw(attributes);
        writer.EndMessage();
        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        return FlowtableCodec.Decode(message);
    }
}
