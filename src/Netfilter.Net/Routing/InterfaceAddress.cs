using System.Net;

namespace Netfilter.Net.Routing;

/// <summary>
/// An address assigned to an interface of a namespace (RTM_NEWADDR), as <c>ip addr</c> shows it:
/// the interface, the address and its prefix, i.e. the directly connected network.
/// </summary>
/// <param name="InterfaceIndex">ifa_index.</param>
/// <param name="Label">IFA_LABEL (the interface name for IPv4), when present.</param>
/// <param name="Address">IFA_LOCAL when present (the host's own address on point-to-point links), IFA_ADDRESS otherwise.</param>
/// <param name="PrefixLength">ifa_prefixlen.</param>
public sealed record InterfaceAddress(int InterfaceIndex, string? Label, IPAddress Address, int PrefixLength)
{
    /// <summary>The directly connected network, e.g. 10.0.2.0/24 for 10.0.2.1/24.</summary>
    public IPNetwork Network
    {
        get
        {
            byte[] bytes = Address.GetAddressBytes();
            for (int bit = PrefixLength; bit < bytes.Length * 8; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }
            return new IPNetwork(new IPAddress(bytes), PrefixLength);
        }
    }

    /// <summary>"10.0.2.1/24".</summary>
    public override string ToString() => $"{Address}/{PrefixLength}";
}
