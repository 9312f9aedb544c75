using System.Runtime.InteropServices;

namespace Netfilter.Net.Interop;

/// <summary>struct sockaddr_nl (uapi linux/netlink.h): the address of a netlink socket.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockaddrNl
{
    /// <summary>nl_family: always AF_NETLINK.</summary>
    public ushort Family;
    /// <summary>nl_pad: zero.</summary>
    public ushort Pad;
    /// <summary>nl_pid: port id; 0 addresses the kernel, or asks the kernel to pick one on bind.</summary>
    public uint PortId;
    /// <summary>nl_groups: multicast group bit mask (groups 1..32 only; larger groups need NETLINK_ADD_MEMBERSHIP).</summary>
    public uint Groups;
}
