using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NfTables;

/// <summary>One element of a set or map.</summary>
public sealed record SetElement
{
    /// <summary>An element with key <paramref name="key"/>.</summary>
    public SetElement(NftData key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
    }

    /// <summary>NFTA_SET_ELEM_KEY.</summary>
    public NftData Key { get; init; }

    /// <summary>NFTA_SET_ELEM_KEY_END: the end of a range (concatenated interval sets).</summary>
    public NftData? KeyEnd { get; init; }

    /// <summary>NFTA_SET_ELEM_DATA: the mapped value, for data maps.</summary>
    public NftData? Data { get; init; }

    /// <summary>NFTA_SET_ELEM_DATA as a verdict, for verdict maps.</summary>
    public Verdict? Verdict { get; init; }

    /// <summary>NFTA_SET_ELEM_OBJREF: the object name, for object maps.</summary>
    public string? ObjectReference { get; init; }

    /// <summary>NFTA_SET_ELEM_FLAGS, when present.</summary>
    public SetElementFlags? Flags { get; init; }

    /// <summary>NFTA_SET_ELEM_TIMEOUT in milliseconds, when present.</summary>
    public ulong? Timeout { get; init; }

    /// <summary>
    /// NFTA_SET_ELEM_EXPIRATION in milliseconds: as read, the time the element has left. When an
    /// element is added with it, it expires after that long instead of after its full timeout
    /// (kernel 5.3+; older kernels ignore it and start the full timeout). The kernel takes it only
    /// in a set with <see cref="SetFlags.Timeout"/> and for an element with a timeout (its own or
    /// the set's): otherwise it refuses the element (EINVAL without the flag, EOPNOTSUPP without a
    /// timeout). <see cref="NfTablesTransaction.Recreate(Ruleset)"/> keeps it only where it is taken.
    /// Not sent when elements are deleted.
    /// </summary>
    public ulong? Expiration { get; init; }

    /// <summary>NFTA_SET_ELEM_USERDATA, raw (nft keeps the element comment here).</summary>
    public ReadOnlyMemory<byte> UserData { get; init; }

    /// <summary>NFTA_SET_ELEM_EXPR / _EXPRESSIONS.</summary>
    public IReadOnlyList<NftExpression>? Expressions { get; init; }

    /// <summary>The comment, if any.</summary>
    public string? Comment => UserData.IsEmpty ? null : NfTables.UserData.ReadComment(UserData.Span);
}
