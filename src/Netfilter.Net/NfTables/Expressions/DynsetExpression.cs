using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// dynset: adds, updates or deletes the element keyed by a register in a set from the packet
/// path (nft <c>add @s { ip saddr }</c>, <c>update @s { ip saddr timeout 30s counter }</c>), with
/// an optional data register for maps, a timeout, and stateful expressions attached to the new
/// element. Debug text: <c>[ dynset update reg_key 1 set s timeout 60000ms expr [ counter pkts 0 bytes 0 ] ]</c>.
/// </summary>
/// <remarks>
/// One attached expression travels as NFTA_DYNSET_EXPR, several as the NFTA_DYNSET_EXPRESSIONS
/// list (libnftnl and the kernel both choose by count, so this type does too). The kernel always
/// dumps NFTA_DYNSET_TIMEOUT and NFTA_DYNSET_FLAGS (FORMAT.md 2.7); a timeout of 0 is kept for
/// the debug text (<c>timeout 0ms</c>) but not sent back, because the kernel refuses it on sets
/// without timeouts and it means the same as no timeout. Likewise NFT_DYNSET_F_EXPR, which the
/// kernel needs with the expression list but does not dump, is added on encoding.
/// </remarks>
public sealed class DynsetExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_dynset_attributes
    private const ushort AttrSetName = 1;     // NFTA_DYNSET_SET_NAME
    private const ushort AttrSetId = 2;       // NFTA_DYNSET_SET_ID
    private const ushort AttrOp = 3;          // NFTA_DYNSET_OP
    private const ushort AttrSregKey = 4;     // NFTA_DYNSET_SREG_KEY
    private const ushort AttrSregData = 5;    // NFTA_DYNSET_SREG_DATA
    private const ushort AttrTimeout = 6;     // NFTA_DYNSET_TIMEOUT (be64, milliseconds)
    private const ushort AttrExpr = 7;        // NFTA_DYNSET_EXPR
    private const ushort AttrPad = 8;         // NFTA_DYNSET_PAD (alignment of the be64 only)
    private const ushort AttrFlags = 9;       // NFTA_DYNSET_FLAGS
    private const ushort AttrExpressions = 10; // NFTA_DYNSET_EXPRESSIONS

    private IReadOnlyList<NftExpression> _expressions = Array.Empty<NftExpression>();

    /// <summary><paramref name="operation"/> on the element of <paramref name="set"/> whose key is in <paramref name="key"/>.</summary>
    public DynsetExpression(DynsetOperation operation, string set, Register key)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        Operation = operation;
        Set = set;
        Key = key;
    }

    /// <summary>NFTA_DYNSET_OP.</summary>
    public DynsetOperation Operation { get; }

    /// <summary>NFTA_DYNSET_SET_NAME: the set (it must have the dynamic flag, or a timeout).</summary>
    public string Set { get; }

    /// <summary>NFTA_DYNSET_SREG_KEY: the register holding the key.</summary>
    public Register Key { get; }

    /// <summary>NFTA_DYNSET_SREG_DATA: for maps, the register holding the value.</summary>
    public Register? Data { get; init; }

    /// <summary>NFTA_DYNSET_TIMEOUT in milliseconds, when present; 0 means the set's default and is not sent.</summary>
    public ulong? TimeoutMilliseconds { get; init; }

    /// <summary>NFTA_DYNSET_SET_ID: the id of a set created in the same transaction (nft always sends it).</summary>
    public uint? SetId { get; init; }

    /// <summary>
    /// NFTA_DYNSET_FLAGS, when present. <see cref="DynsetFlags.Expressions"/> is always sent with
    /// several <see cref="Expressions"/>: the kernel requires it and does not dump it.
    /// </summary>
    public DynsetFlags? Flags { get; init; }

    /// <summary>Stateful expressions (counter, limit, quota...) attached to the element the rule adds.</summary>
    public IReadOnlyList<NftExpression> Expressions
    {
        get => _expressions;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (NftExpression expression in value)
            {
                ArgumentNullException.ThrowIfNull(expression, nameof(value));
            }
            _expressions = value;
        }
    }

    /// <inheritdoc />
    public override string Name => "dynset";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_dynset_build order: SREG_KEY, SREG_DATA, OP, TIMEOUT, SET_NAME,
        // SET_ID, EXPR | EXPRESSIONS, FLAGS.
        writer.WriteUInt32BigEndian(AttrSregKey, Key.Raw);
        if (Data is Register d) writer.WriteUInt32BigEndian(AttrSregData, d.Raw);
        writer.WriteUInt32BigEndian(AttrOp, (uint)Operation);
        if (TimeoutMilliseconds is ulong t && t != 0)
        {
            // A zero timeout means "the set's default" (nft_dynset_new: priv->timeout ?: set->timeout),
            // exactly like no attribute. The kernel dumps NFTA_DYNSET_TIMEOUT 0 for every dynset but
            // refuses the attribute, even 0, on a set without NFT_SET_TIMEOUT (nft_dynset_init:
            // EOPNOTSUPP), so a dumped rule is only re-sendable without it.
            writer.WriteUInt64BigEndian(AttrTimeout, t);
        }
        writer.WriteStringZ(AttrSetName, Set);
        if (SetId is uint id) writer.WriteUInt32BigEndian(AttrSetId, id);
        ExpressionListCodec.WriteOneOrList(writer, AttrExpr, AttrExpressions, _expressions);
        DynsetFlags? flags = Flags;
        if (_expressions.Count > 1)
        {
            // nft_dynset_init refuses NFTA_DYNSET_EXPRESSIONS without NFT_DYNSET_F_EXPR (EINVAL),
            // and the kernel does not dump that bit, so it is added here (as nft does).
            flags = (flags ?? DynsetFlags.None) | DynsetFlags.Expressions;
        }
        if (flags is DynsetFlags f) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    /// <summary>
    /// The set that <paramref name="expression"/> adds to or updates, when it is a dynset: typed,
    /// or kept raw (an <see cref="UnknownExpression"/> named "dynset", as a restored document holds
    /// every expression). Null for any other expression, or raw data without a set name.
    /// </summary>
    internal static string? TargetSetOf(NftExpression expression)
    {
        if (expression is DynsetExpression dynset)
        {
            return dynset.Set;
        }
        if (expression is not UnknownExpression { Name: "dynset" } raw)
        {
            return null;
        }
        try
        {
            var reader = new NetlinkAttributeReader(raw.Data.Span, "dynset");
            while (reader.TryRead(out NetlinkAttribute a))
            {
                if (a.Type == AttrSetName)
                {
                    return a.GetString();
                }
            }
        }
        catch (NetlinkProtocolException)
        {
            // Malformed raw data names no set; the kernel will say what it thinks of it.
        }
        return null;
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "dynset");
        string? set = null;
        uint? op = null, setId = null, flags = null;
        Register? key = null, value = null;
        ulong? timeout = null;
        List<NftExpression>? expressions = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrSetName: set = a.GetString(); break;
                case AttrSetId: setId = a.GetUInt32BigEndian(); break;
                case AttrOp: op = a.GetUInt32BigEndian(); break;
                case AttrSregKey: key = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrSregData: value = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrTimeout: timeout = a.GetUInt64BigEndian(); break;
                case AttrExpr:
                    expressions = new List<NftExpression> { ExpressionListCodec.ReadExpressionBody(a.Payload, "dynset NFTA_DYNSET_EXPR") };
                    break;
                case AttrExpressions: expressions = ExpressionListCodec.Read(a, "dynset NFTA_DYNSET_EXPRESSIONS"); break;
                case AttrPad: break;
                case AttrFlags: flags = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (set is null || key is null || op is null)
        {
            throw new NetlinkProtocolException("dynset", "NFTA_DYNSET_SET_NAME, NFTA_DYNSET_SREG_KEY and NFTA_DYNSET_OP", "a missing attribute");
        }
        if (set.Length == 0)
        {
            throw new NetlinkProtocolException("dynset NFTA_DYNSET_SET_NAME", "a set name", "an empty string");
        }
        return new DynsetExpression((DynsetOperation)op.Value, set, key.Value)
        {
            Data = value,
            TimeoutMilliseconds = timeout,
            SetId = setId,
            Flags = (DynsetFlags?)flags,
            Expressions = (IReadOnlyList<NftExpression>?)expressions ?? Array.Empty<NftExpression>(),
        };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_expr_dynset_snprintf: "%s reg_key %u set %s ", then sreg_data and
        // timeout when present, then "expr [ NAME BODY] " per attached expression.
        string op = Operation switch
        {
            DynsetOperation.Add => "add",
            DynsetOperation.Update => "update",
            DynsetOperation.Delete => "delete",
            _ => "unknown",
        };
        builder.Append(op).Append(" reg_key ").Append(Key).Append(" set ").Append(Set).Append(' ');
        if (Data is Register d)
        {
            builder.Append("sreg_data ").Append(d).Append(' ');
        }
        if (TimeoutMilliseconds is ulong t)
        {
            builder.Append("timeout ").Append(t.ToString(CultureInfo.InvariantCulture)).Append("ms ");
        }
        foreach (NftExpression expression in _expressions)
        {
            builder.Append("expr ").Append(expression.ToString()).Append(' ');
        }
    }
}
