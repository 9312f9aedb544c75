using System;

namespace Netfilter.Net.Nat;

/// <summary>
/// A table with the <see cref="NatTable"/>'s name exists but was not made by a NatTable (its
/// comment lacks the "nfnet NAT table NAME layout N" marker), or was made by a newer version
/// with a layout this one does not know. NatTable never adopts such a table: it could drop or
/// hijack traffic in ways no typed rule shows. Nothing was sent.
/// </summary>
public sealed class NatTableNotOwnedException : InvalidOperationException
{
    internal NatTableNotOwnedException(string table, string message)
        : base(message)
    {
        Table = table;
    }

    /// <summary>The table's name.</summary>
    public string Table { get; }
}
