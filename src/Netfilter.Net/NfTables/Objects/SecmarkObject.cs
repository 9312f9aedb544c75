using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// An SELinux security context for packets (nft "secmark NAME { "system_u:object_r:..." }"),
/// applied by <c>meta secmark set "NAME"</c>. The kernel refuses it unless an LSM that knows the
/// context is active.
/// </summary>
public sealed record SecmarkObject : NftObject
{
    // uapi nf_tables.h, enum nft_secmark_attributes
    private const ushort AttrContext = 1; // NFTA_SECMARK_CTX

    /// <summary>The context <paramref name="context"/> under the name <paramref name="name"/>.</summary>
    public SecmarkObject(NetfilterFamily family, string table, string name, string? context = null)
        : base(family, table, name)
    {
        Context = context;
    }

    /// <inheritdoc />
    public override NftObjectType Type => NftObjectType.Secmark;

    /// <summary>NFTA_SECMARK_CTX, when present.</summary>
    public string? Context { get; init; }

    internal override string DebugName => "secmark";

    // libnftnl nftnl_obj_secmark_build: mnl_attr_put_str, no NUL.
    internal override void EncodeData(NetlinkWriter writer)
    {
        if (Context is not null) UnterminatedString.Write(writer, AttrContext, Context);
    }

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "secmark object");
        string? context = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrContext: context = a.GetString(); break;
                default: return null;
            }
        }
        return new SecmarkObject(family, table, name, context);
    }

    internal override void AppendDebugBody(StringBuilder builder) => builder.Append("context ").Append(Context).Append(' ');
}
