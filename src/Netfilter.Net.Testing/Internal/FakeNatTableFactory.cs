using Netfilter.Net.Nat;

namespace Netfilter.Net.Testing.Internal;

/// <summary>Opens the library's own <see cref="NatTable"/> over a fake namespace: the one given, or the one the options select.</summary>
internal sealed class FakeNatTableFactory : INatTableFactory
{
    private readonly FakeNetfilter _kernel;
    private readonly FakeNamespace? _fixed;

    public FakeNatTableFactory(FakeNetfilter kernel, FakeNamespace? fixedNamespace)
    {
        _kernel = kernel;
        _fixed = fixedNamespace;
    }

    public INatTable Open(string name, NatTableOptions? options = null)
    {
        FakeNamespace ns = _fixed ?? _kernel.Namespace(options?.Namespace);
        return new NatTable(name, new FakeNatTableKernel(ns, ns.NextPort()), options);
    }
}
