namespace Netfilter.Net.Nat;

/// <summary>The <see cref="INatTableFactory"/> of the real kernel: each call is <c>new NatTable(name, options)</c>.</summary>
public sealed class NatTableFactory : INatTableFactory
{
    /// <inheritdoc />
    public INatTable Open(string name, NatTableOptions? options = null) => new NatTable(name, options);
}
