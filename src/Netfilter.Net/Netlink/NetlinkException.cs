using System;

namespace Netfilter.Net;

/// <summary>
/// The kernel refused a netlink request (or a system call on a netlink socket failed). Adds to
/// <see cref="NetfilterException"/> what netlink says about a refusal: the request's sequence
/// number, and the extended-ack text and attribute offset when the kernel supplied them.
/// </summary>
/// <remarks>
/// The message always names the operation and, for the errors a user can act on, the fix:
/// <see cref="Errno.EPERM"/> says that CAP_NET_ADMIN is needed, <see cref="Errno.EOPNOTSUPP"/>
/// that the kernel lacks a feature. Catch <see cref="NetfilterException"/> to handle every
/// refusal the same way, whichever layer met it.
/// </remarks>
public class NetlinkException : NetfilterException
{
    internal NetlinkException(Errno errno, string operation, uint sequence = 0, string? kernelMessage = null, uint? attributeOffset = null, string? detail = null, Exception? inner = null)
        : base(Compose(errno, operation, kernelMessage, attributeOffset, detail), errno, operation, inner)
    {
        Sequence = sequence;
        KernelMessage = kernelMessage;
        AttributeOffset = attributeOffset;
    }

    /// <summary>The netlink sequence number of the failing request, or 0 when none applies.</summary>
    public uint Sequence { get; }

    /// <summary>The kernel's extended-ack text (NLMSGERR_ATTR_MSG), when it gave one.</summary>
    public string? KernelMessage { get; }

    /// <summary>
    /// The byte offset, from the start of the failing request's netlink header, of the attribute
    /// the kernel rejected (NLMSGERR_ATTR_OFFS), when it gave one.
    /// </summary>
    public uint? AttributeOffset { get; }
}
