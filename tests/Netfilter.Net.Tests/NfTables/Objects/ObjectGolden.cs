using System.Buffers.Binary;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Objects;
using Netfilter.Net.Tests.Fakes;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Objects;

/// <summary>
/// Checks a stateful object against a golden capture (Golden/nftables-sections/obj-*.golden):
/// [add]  the model encodes to the attributes nft sent, prints the body of libnftnl's text that
///        nft printed, and nft's bytes decode to a typed object that re-encodes identically;
/// [list] the kernel's dump decodes to a typed object with a handle, prints the same body (nft
///        prints nothing for objects when listing, so the add-path text is the reference), and
///        re-encodes to the kernel's attributes (NFTA_OBJ_USE, dump-only, aside).
/// </summary>
internal static class ObjectGolden
{
    private const ushort ObjUse = 5; // NFTA_OBJ_USE

    public static NftObject Verify(string name, NftObject model)
    {
        SectionGoldenFile golden = SectionGoldenFile.Load($"nftables-sections/{name}.golden");
        GoldenSection add = golden.Section("add");
        byte[] sent = add.Bytes();
        string expectedBody = Body(add.Value("debug"));

        Hex(Encode(model)).Should().Be(Hex(sent), $"our encoding of the model must equal what nft sent ({golden.HeaderValue("command:")})");
        model.ToDebugBody().Should().Be(expectedBody, "the model must print libnftnl's text");

        NftObject decoded = Decode(sent, model.Family);
        decoded.Should().NotBeOfType<UnknownObject>();
        decoded.GetType().Should().Be(model.GetType());
        Hex(Encode(decoded)).Should().Be(Hex(sent), "decoding and re-encoding what nft sent must give the same bytes");
        decoded.ToDebugBody().Should().Be(expectedBody);

        if (golden.Has("list"))
        {
            byte[] dumped = golden.Section("list").Bytes();
            NftObject fromKernel = Decode(dumped, model.Family);
            fromKernel.GetType().Should().Be(model.GetType(), "the kernel's dump decodes to the same typed object");
            fromKernel.Handle.Should().NotBe(0UL, "the kernel dumps the handle");
            fromKernel.ToDebugBody().Should().Be(expectedBody, "the kernel holds what nft sent");
            KernelDumpComparison.Differences(Encode(fromKernel), Without(dumped, ObjUse)).Should().BeEmpty("re-encoding the dump must give the kernel's attributes back");
        }
        return decoded;
    }

    /// <summary>The attributes of a NEWOBJ body for <paramref name="obj"/>.</summary>
    public static byte[] Encode(NftObject obj)
    {
        using var writer = new NetlinkWriter(256);
        ObjectCodec.Write(writer, obj);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes NEWOBJ attributes (wrapped into a message of <paramref name="family"/>).</summary>
    public static NftObject Decode(byte[] attributes, NetfilterFamily family)
    {
        using var writer = new NetlinkWriter(attributes.Length + 64);
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, NfTablesMessageType.NewObj, NetlinkMessageFlags.None, 1, family);
        writer.WriteRaw(attributes);
        writer.EndMessage();
        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        return ObjectCodec.Decode(message);
    }

    /// <summary>The "[ ... ]" part of libnftnl's "table T name N use U [ ... ]".</summary>
    public static string Body(string line) => line.Substring(line.IndexOf("[ ", StringComparison.Ordinal));

    /// <summary><paramref name="attributes"/> without the top-level attributes of <paramref name="type"/>.</summary>
    public static byte[] Without(byte[] attributes, ushort type)
    {
        var result = new List<byte>();
        int offset = 0;
        while (offset + 4 <= attributes.Length)
        {
            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(attributes.AsSpan(offset));
            int aligned = Math.Min((length + 3) & ~3, attributes.Length - offset);
            if ((BinaryPrimitives.ReadUInt16LittleEndian(attributes.AsSpan(offset + 2)) & 0x3fff) != type)
            {
                result.AddRange(attributes.AsSpan(offset, aligned).ToArray());
            }
            offset += aligned;
        }
        return result.ToArray();
    }
}
