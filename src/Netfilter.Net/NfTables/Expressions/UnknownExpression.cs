using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// An expression this library does not model, or one whose attributes it does not all know:
/// the name and the raw NFTA_EXPR_DATA payload, re-encoded byte for byte. Nothing the kernel
/// holds is dropped on read-modify-write (unlike google/nftables, which drops unknown expressions).
/// </summary>
public sealed class UnknownExpression : NftExpression
{
    private readonly byte[] _data;
    private readonly bool _hasData;

    /// <summary>Keeps <paramref name="data"/> (the NFTA_EXPR_DATA payload) for expression <paramref name="name"/>.</summary>
    public UnknownExpression(string name, ReadOnlySpan<byte> data)
        : this(name, data, hasData: true)
    {
    }

    /// <summary>As above; <paramref name="hasData"/> false when the kernel sent no NFTA_EXPR_DATA at all, so none is sent back.</summary>
    internal UnknownExpression(string name, ReadOnlySpan<byte> data, bool hasData)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ExpressionName = name;
        _data = data.ToArray();
        _hasData = hasData || !data.IsEmpty;
    }

    internal override bool HasData => _hasData;

    /// <summary>The kernel name that was not recognised.</summary>
    public string ExpressionName { get; }

    /// <inheritdoc />
    public override string Name => ExpressionName;

    /// <summary>The raw attributes inside NFTA_EXPR_DATA.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    internal override void EncodeData(NetlinkWriter writer) => writer.WriteRaw(_data);

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl prints nothing it does not know; say plainly what is there instead.
        builder.Append("unknown ").Append(_data.Length).Append(" bytes ");
    }
}
