namespace Netfilter.Net.Nat;

/// <summary>
/// Opens <see cref="INatTable"/>s by name. A service that manages several tables (or whose tests
/// swap the kernel for <c>Netfilter.Net.Testing</c>'s in-memory one) takes this instead of
/// constructing <see cref="NatTable"/> itself.
/// </summary>
public interface INatTableFactory
{
    /// <summary>The table <paramref name="name"/>, created in the kernel on its first change. Dispose it when done.</summary>
    /// <param name="name">Letters, digits, '_' and '-', at most 64 characters.</param>
    /// <param name="options">Namespace, lifetime, logging, retries; defaults when null.</param>
    /// <exception cref="System.ArgumentException">The name is not usable.</exception>
    INatTable Open(string name, NatTableOptions? options = null);
}
