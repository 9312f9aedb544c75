using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Hosting;

/// <summary>
/// The namespaces the hosted tables live in, each opened once and shared by the reconciler, the
/// health check and the metrics, with its conntrack and sysctl clients opened when first needed.
/// The service's own namespace (a null name) uses the registered <see cref="IConntrackClient"/>
/// and <see cref="ISysctlClient"/>; a named one goes through <see cref="INetfilterClientFactory"/>.
/// Everything opened here is closed when the host's container is disposed.
/// </summary>
internal sealed class NetfilterNamespaces : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly INetfilterClientFactory _factory;
    private readonly Dictionary<string, Opened> _named = new(StringComparer.Ordinal);
    private bool _disposed;

    public NetfilterNamespaces(IServiceProvider services, INetfilterClientFactory factory)
    {
        _services = services;
        _factory = factory;
    }

    /// <summary>"namespace router", or "the service's namespace".</summary>
    public static string Describe(string? name) => name is null ? "the service's namespace" : $"namespace {name}";

    /// <summary>The namespace <paramref name="name"/>, opened on first use; <see cref="NetworkNamespace.Current"/> for null.</summary>
    /// <exception cref="ArgumentException">No such namespace (nothing is remembered: the next call tries again).</exception>
    public NetworkNamespace Get(string? name) => name is null ? NetworkNamespace.Current : Named(name).Namespace;

    public IConntrackClient Conntrack(string? name)
    {
        if (name is null)
        {
            return _services.GetRequiredService<IConntrackClient>();
        }
        Opened opened = Named(name);
        lock (_named)
        {
            return opened.Conntrack ??= _factory.OpenConntrack(opened.Namespace);
        }
    }

    public ISysctlClient Sysctl(string? name)
    {
        if (name is null)
        {
            return _services.GetRequiredService<ISysctlClient>();
        }
        Opened opened = Named(name);
        lock (_named)
        {
            return opened.Sysctl ??= _factory.OpenSysctl(opened.Namespace);
        }
    }

    private Opened Named(string name)
    {
        lock (_named)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_named.TryGetValue(name, out Opened? opened))
            {
                opened = new Opened(_factory.OpenNamespace(name));
                _named.Add(name, opened);
            }
            return opened;
        }
    }

    public void Dispose()
    {
        lock (_named)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (Opened opened in _named.Values)
            {
                opened.Conntrack?.Dispose();
                (opened.Sysctl as IDisposable)?.Dispose();
                opened.Namespace.Dispose();
            }
            _named.Clear();
        }
    }

    private sealed class Opened
    {
        public Opened(NetworkNamespace ns) => Namespace = ns;

        public NetworkNamespace Namespace { get; }

        public IConntrackClient? Conntrack { get; set; }

        public ISysctlClient? Sysctl { get; set; }
    }
}
