using System;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// objref: applies a named stateful object (counter, quota, limit, ct helper, synproxy...) to the
/// packet, either one object by name (<c>counter name "c1"</c>) or the object a map lookup
/// finds (<c>counter name ip saddr map { ... }</c>). Debug text: <c>[ objref type 1 name c1 ]</c>,
/// <c>[ objref sreg 1 set __objmap0 ]</c>. nft sends the names without a terminating NUL; the
/// kernel dumps them with one.
/// </summary>
public sealed class ObjrefExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_objref_attributes
    private const ushort AttrImmType = 1; // NFTA_OBJREF_IMM_TYPE
    private const ushort AttrImmName = 2; // NFTA_OBJREF_IMM_NAME
    private const ushort AttrSetSreg = 3; // NFTA_OBJREF_SET_SREG
    private const ushort AttrSetName = 4; // NFTA_OBJREF_SET_NAME
    private const ushort AttrSetId = 5;   // NFTA_OBJREF_SET_ID

    private ObjrefExpression()
    {
    }

    /// <summary>Applies the object of <paramref name="type"/> named <paramref name="name"/> (in the rule's table).</summary>
    public static ObjrefExpression Object(NftObjectType type, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ObjrefExpression { ObjectType = type, ObjectName = name };
    }

    /// <summary>
    /// Looks <paramref name="source"/> up in the object map <paramref name="set"/> and applies the
    /// object found. <paramref name="setId"/> names a map created in the same transaction.
    /// </summary>
    public static ObjrefExpression Map(Register source, string set, uint? setId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        return new ObjrefExpression { Source = source, Set = set, SetId = setId };
    }

    /// <summary>NFTA_OBJREF_IMM_TYPE, for the by-name form.</summary>
    public NftObjectType? ObjectType { get; private init; }

    /// <summary>NFTA_OBJREF_IMM_NAME, for the by-name form.</summary>
    public string? ObjectName { get; private init; }

    /// <summary>NFTA_OBJREF_SET_SREG, for the map form.</summary>
    public Register? Source { get; private init; }

    /// <summary>NFTA_OBJREF_SET_NAME, for the map form.</summary>
    public string? Set { get; private init; }

    /// <summary>NFTA_OBJREF_SET_ID, for the map form, when present.</summary>
    public uint? SetId { get; private init; }

    /// <summary>True for the map form.</summary>
    public bool IsMap => Source is not null;

    /// <inheritdoc />
    public override string Name => "objref";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_objref_build: IMM_TYPE, IMM_NAME (mnl_attr_put_str: no NUL),
        // SET_SREG, SET_NAME (no NUL), SET_ID.
        if (ObjectType is NftObjectType t) writer.WriteUInt32BigEndian(AttrImmType, (uint)t);
        if (ObjectName is not null) UnterminatedString.Write(writer, AttrImmName, ObjectName);
        if (Source is Register s) writer.WriteUInt32BigEndian(AttrSetSreg, s.Raw);
        if (Set is not null) UnterminatedString.Write(writer, AttrSetName, Set);
        if (SetId is uint id) writer.WriteUInt32BigEndian(AttrSetId, id);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "objref");
        NftObjectType? type = null;
        string? name = null, set = null;
        Register? sreg = null;
        uint? setId = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrImmType: type = (NftObjectType)a.GetUInt32BigEndian(); break;
                case AttrImmName: name = a.GetString(); break;
                case AttrSetSreg: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrSetName: set = a.GetString(); break;
                case AttrSetId: setId = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (name is null && set is null)
        {
            throw new NetlinkProtocolException("objref", "NFTA_OBJREF_IMM_NAME or NFTA_OBJREF_SET_NAME", "neither");
        }
        return new ObjrefExpression { ObjectType = type, ObjectName = name, Source = sreg, Set = set, SetId = setId };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_expr_objref_snprintf: the map form when SET_SREG is set.
        if (Source is Register s)
        {
            builder.Append("sreg ").Append(s).Append(" set ").Append(Set).Append(' ');
        }
        else
        {
            builder.Append("type ").Append((uint)(ObjectType ?? NftObjectType.Unspecified)).Append(" name ").Append(ObjectName).Append(' ');
        }
    }
}
