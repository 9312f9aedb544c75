using System;

namespace Netfilter.Net.Netlink;

/// <summary>nlmsghdr.nlmsg_flags (uapi linux/netlink.h, NLM_F_*). Several bits mean different things for GET, NEW, DELETE and ACK messages.</summary>
[Flags]
internal enum NetlinkMessageFlags : ushort
{
    None = 0,
    /// <summary>NLM_F_REQUEST: a request to the kernel.</summary>
    Request = 0x01,
    /// <summary>NLM_F_MULTI: part of a multipart answer, ended by NLMSG_DONE.</summary>
    Multi = 0x02,
    /// <summary>NLM_F_ACK: answer with an NLMSG_ERROR carrying 0 or the error.</summary>
    Ack = 0x04,
    /// <summary>NLM_F_ECHO: send the resulting notification back to the requester.</summary>
    Echo = 0x08,
    /// <summary>NLM_F_DUMP_INTR: the dump was inconsistent because the object list changed.</summary>
    DumpInterrupted = 0x10,
    /// <summary>NLM_F_DUMP_FILTERED: the dump was filtered as requested.</summary>
    DumpFiltered = 0x20,
    /// <summary>NLM_F_ROOT (GET).</summary>
    Root = 0x100,
    /// <summary>NLM_F_MATCH (GET).</summary>
    Match = 0x200,
    /// <summary>NLM_F_ATOMIC (GET).</summary>
    Atomic = 0x400,
    /// <summary>NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH.</summary>
    Dump = Root | Match,
    /// <summary>NLM_F_REPLACE (NEW): override existing.</summary>
    Replace = 0x100,
    /// <summary>NLM_F_EXCL (NEW): fail if it exists.</summary>
    Excl = 0x200,
    /// <summary>NLM_F_CREATE (NEW): create if it does not exist.</summary>
    Create = 0x400,
    /// <summary>NLM_F_APPEND (NEW): add at the end.</summary>
    Append = 0x800,
    /// <summary>NLM_F_NONREC (DELETE): do not delete recursively.</summary>
    NonRecursive = 0x100,
    /// <summary>NLM_F_CAPPED (ACK): the echoed request was capped to its header.</summary>
    Capped = 0x100,
    /// <summary>NLM_F_ACK_TLVS (ACK): extended-ack attributes follow.</summary>
    AckTlvs = 0x200,
}
