using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The attributes of the xtables compatibility expressions match and target (uapi
/// nf_tables_compat.h, enum nft_match_attributes / nft_target_attributes, same numbering):
/// <code>
/// NFTA_MATCH_NAME string, NFTA_MATCH_REV be32, NFTA_MATCH_INFO the xt_*_info struct, raw
/// </code>
/// </summary>
internal static class XtAttributes
{
    private const ushort Name = 1;     // NFTA_MATCH_NAME / NFTA_TARGET_NAME
    private const ushort Revision = 2; // NFTA_MATCH_REV / NFTA_TARGET_REV
    private const ushort Info = 3;     // NFTA_MATCH_INFO / NFTA_TARGET_INFO

    /// <summary>libnftnl nftnl_expr_match_build / _target_build order: NAME, REV, INFO.</summary>
    public static void Write(NetlinkWriter writer, string name, uint? revision, ReadOnlySpan<byte> info, bool hasInfo)
    {
        writer.WriteStringZ(Name, name);
        if (revision is uint r) writer.WriteUInt32BigEndian(Revision, r);
        if (hasInfo) writer.WriteBytes(Info, info);
    }

    /// <summary>Reads the attributes; false when one is not known (the caller keeps the expression raw).</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, string context, out string? name, out uint? revision, out byte[]? info)
    {
        name = null;
        revision = null;
        info = null;
        var reader = new NetlinkAttributeReader(data, context);
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case Name: name = a.GetString(); break;
                case Revision: revision = a.GetUInt32BigEndian(); break;
                case Info: info = a.Payload.ToArray(); break;
                default: return false;
            }
        }
        if (name is null)
        {
            throw new NetlinkProtocolException(context, "NFTA_MATCH_NAME / NFTA_TARGET_NAME", "none");
        }
        return true;
    }

    /// <summary>libnftnl: "name N rev R " (the info blob is not printed).</summary>
    public static void AppendDebug(StringBuilder builder, string name, uint? revision) =>
        builder.Append("name ").Append(name).Append(" rev ").Append(revision ?? 0).Append(' ');
}
