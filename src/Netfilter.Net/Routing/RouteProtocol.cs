namespace Netfilter.Net.Routing;

/// <summary>
/// Who installed a route or rule (uapi linux/rtnetlink.h, RTPROT_*). The kernel does not
/// interpret values from <see cref="Static"/> up; other values round-trip as casts.
/// </summary>
public enum RouteProtocol : byte
{
    /// <summary>RTPROT_UNSPEC.</summary>
    Unspecified = 0,
    /// <summary>RTPROT_REDIRECT: installed by an ICMP redirect.</summary>
    Redirect = 1,
    /// <summary>RTPROT_KERNEL: installed by the kernel (rules and routes it creates itself).</summary>
    Kernel = 2,
    /// <summary>RTPROT_BOOT: installed at boot, and the default of <c>ip route add</c>; the library uses it too, so its routes look like ones ip made.</summary>
    Boot = 3,
    /// <summary>RTPROT_STATIC: installed by an administrator.</summary>
    Static = 4,
}
