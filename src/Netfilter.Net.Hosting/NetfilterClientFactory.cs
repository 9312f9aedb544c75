using Microsoft.Extensions.Logging;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Hosting;

/// <summary>The <see cref="INetfilterClientFactory"/> of the real kernel: <see cref="NetworkNamespace.FromName"/>, <see cref="ConntrackClient"/> and <see cref="SysctlClient"/>.</summary>
public sealed class NetfilterClientFactory : INetfilterClientFactory
{
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>A factory whose conntrack clients log through <paramref name="loggerFactory"/> (under <see cref="NetfilterLogCategories.Conntrack"/> and <see cref="NetfilterLogCategories.Netlink"/>); nothing is logged when null.</summary>
    public NetfilterClientFactory(ILoggerFactory? loggerFactory = null)
    {
        _loggerFactory = loggerFactory;
    }

    /// <inheritdoc />
    public NetworkNamespace OpenNamespace(string name) => NetworkNamespace.FromName(name);

    /// <inheritdoc />
    public IConntrackClient OpenConntrack(NetworkNamespace networkNamespace) => _loggerFactory is null
        ? new ConntrackClient(networkNamespace, logger: null)
        : new ConntrackClient(networkNamespace, _loggerFactory);

    /// <inheritdoc />
    public ISysctlClient OpenSysctl(NetworkNamespace networkNamespace) => new SysctlClient(networkNamespace);
}
