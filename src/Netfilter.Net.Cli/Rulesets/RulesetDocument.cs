using System.Collections.Generic;

namespace Netfilter.Net.Cli.Rulesets;

/// <summary>
/// A whole ruleset as JSON: what <c>nfnet ruleset show --format json</c> prints and
/// <c>nfnet ruleset save</c> writes, and what <c>nfnet ruleset restore</c> reads back. Tables hold
/// their chains, sets (with elements) and rules. Every expression is kept as its kernel name and
/// its raw NFTA_EXPR_DATA attributes in hex, so a restore sends back exactly what was saved,
/// whether or not this version of the library knows the expression. Binary values (keys, data,
/// userdata) are lower-case hex. Fields marked "for people" (<c>debug</c>, <c>comment</c>,
/// <c>hookName</c>) are ignored on restore. The shape is documented in the README ("JSON output").
/// </summary>
internal sealed class RulesetDocument
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "nfnet-ruleset";

    /// <summary>The version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The ruleset generation the snapshot was read at (informative).</summary>
    public uint Generation { get; init; }

    public List<TableDocument> Tables { get; set; } = new();
}

/// <summary>One table.</summary>
internal sealed class TableDocument
{
    /// <summary>nft's family name: ip, ip6, inet, arp, bridge, netdev.</summary>
    public required string Family { get; init; }

    public required string Name { get; init; }

    /// <summary>NFTA_TABLE_FLAGS (dormant 0x1; the owner and persist flags are not restored: the restorer becomes the owner of nothing).</summary>
    public uint Flags { get; init; }

    public string? Userdata { get; init; }

    /// <summary>For people: the comment nft keeps in the userdata.</summary>
    public string? Comment { get; init; }

    public List<ChainDocument> Chains { get; set; } = new();

    /// <summary>Stateful objects (named counters, quotas, limits, ct helpers, ...).</summary>
    public List<ObjectDocument> Objects { get; set; } = new();

    public List<FlowtableDocument> Flowtables { get; set; } = new();

    public List<SetDocument> Sets { get; set; } = new();

    public List<RuleDocument> Rules { get; set; } = new();
}

/// <summary>One stateful object: its type and its raw attributes.</summary>
internal sealed class ObjectDocument
{
    public required string Name { get; init; }

    /// <summary>NFT_OBJECT_*: counter 1, quota 2, ct helper 3, limit 4, connlimit 5, tunnel 6, ct timeout 7, secmark 8, ct expectation 9, synproxy 10.</summary>
    public uint Type { get; init; }

    /// <summary>NFTA_OBJ_DATA's payload in hex: what restore sends.</summary>
    public required string Data { get; init; }

    public string? Userdata { get; init; }

    /// <summary>For people.</summary>
    public string? Comment { get; init; }

    /// <summary>For people: libnftnl's text of the object.</summary>
    public string? Debug { get; init; }
}

/// <summary>One flowtable.</summary>
internal sealed class FlowtableDocument
{
    public required string Name { get; init; }

    public uint? Hook { get; init; }

    public int? Priority { get; init; }

    public List<string>? Devices { get; init; }

    /// <summary>offload 0x1, counter 0x2.</summary>
    public uint? Flags { get; init; }
}

/// <summary>One chain; base chains have a hook.</summary>
internal sealed class ChainDocument
{
    public required string Name { get; init; }

    public HookDocument? Hook { get; init; }

    /// <summary>"filter", "nat" or "route", for base chains.</summary>
    public string? Type { get; init; }

    /// <summary>"accept" or "drop", for base chains.</summary>
    public string? Policy { get; init; }

    /// <summary>NFTA_CHAIN_FLAGS as the kernel reported them (the base-chain bit is implied by the hook on restore).</summary>
    public uint? Flags { get; init; }

    public string? Userdata { get; init; }

    /// <summary>For people.</summary>
    public string? Comment { get; init; }
}

/// <summary>Where a base chain is attached.</summary>
internal sealed class HookDocument
{
    /// <summary>The hook number (NF_INET_* for ip/ip6/inet/bridge, NF_NETDEV_* for netdev, NF_ARP_* for arp).</summary>
    public uint Number { get; init; }

    /// <summary>For people: prerouting, input, forward, output, postrouting, ingress, egress.</summary>
    public string? HookName { get; init; }

    public int Priority { get; init; }

    public string? Device { get; init; }

    public List<string>? Devices { get; init; }
}

/// <summary>One set or map, with its elements.</summary>
internal sealed class SetDocument
{
    public required string Name { get; init; }

    /// <summary>NFTA_SET_FLAGS: anonymous 0x1, constant 0x2, interval 0x4, map 0x8, timeout 0x10, eval 0x20, object 0x40, concat 0x80, expr 0x100.</summary>
    public uint Flags { get; init; }

    /// <summary>nft's datatype id of the key (a concatenation packs 6 bits per field).</summary>
    public uint KeyType { get; init; }

    public uint KeyLength { get; init; }

    public uint? DataType { get; init; }

    public uint? DataLength { get; init; }

    public uint? ObjectType { get; init; }

    public uint? Policy { get; init; }

    public uint? Size { get; init; }

    public List<uint>? Concat { get; init; }

    /// <summary>Milliseconds.</summary>
    public ulong? Timeout { get; init; }

    /// <summary>Milliseconds.</summary>
    public uint? GcInterval { get; init; }

    public string? Userdata { get; init; }

    /// <summary>For people.</summary>
    public string? Comment { get; init; }

    /// <summary>Expressions every element carries.</summary>
    public List<ExpressionDocument>? Expressions { get; init; }

    public List<ElementDocument> Elements { get; set; } = new();
}

/// <summary>One set element.</summary>
internal sealed class ElementDocument
{
    /// <summary>The key bytes in hex.</summary>
    public required string Key { get; init; }

    public string? KeyEnd { get; init; }

    /// <summary>The mapped value in hex (data maps).</summary>
    public string? Data { get; init; }

    /// <summary>The mapped verdict (verdict maps).</summary>
    public VerdictDocument? Verdict { get; init; }

    public string? ObjectReference { get; init; }

    /// <summary>interval-end 0x1, catch-all 0x2.</summary>
    public uint? Flags { get; init; }

    /// <summary>Milliseconds.</summary>
    public ulong? Timeout { get; init; }

    public string? Userdata { get; init; }

    /// <summary>For people.</summary>
    public string? Comment { get; init; }

    public List<ExpressionDocument>? Expressions { get; init; }
}

/// <summary>A verdict: accept, drop, queue, continue, return, jump, goto (the last two with a chain).</summary>
internal sealed class VerdictDocument
{
    public required string Kind { get; init; }

    public string? Chain { get; init; }
}

/// <summary>One rule, in chain order.</summary>
internal sealed class RuleDocument
{
    public required string Chain { get; init; }

    /// <summary>The handle the kernel gave it (informative; a restored rule gets a new one).</summary>
    public ulong Handle { get; init; }

    public string? Userdata { get; init; }

    /// <summary>For people.</summary>
    public string? Comment { get; init; }

    public List<ExpressionDocument> Expressions { get; set; } = new();
}

/// <summary>One expression: its kernel name and raw attributes.</summary>
internal sealed class ExpressionDocument
{
    /// <summary>NFTA_EXPR_NAME, e.g. "payload", "nat".</summary>
    public required string Name { get; init; }

    /// <summary>NFTA_EXPR_DATA's payload (the expression's own attributes) in hex: what restore sends.</summary>
    public required string Data { get; init; }

    /// <summary>For people: libnftnl's debug line, as <c>nft --debug=netlink</c> prints it.</summary>
    public string? Debug { get; init; }
}
