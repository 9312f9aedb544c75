using System;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Expressions that load a register (meta, payload, ct, bitwise, fib): what the register holds
/// afterwards (<see cref="FieldKind"/>), so that the comparison reading it knows what it compares.
/// </summary>
internal static class RegisterLoads
{
    /// <summary>Records what <paramref name="expression"/> loads; false when it is not one of these.</summary>
    public static bool TryApply(PathState path, NftExpression expression)
    {
        switch (expression)
        {
            case MetaExpression meta:
                if (meta.Destination is Register metaDestination)
                {
                    (FieldKind kind, int length) = meta.Key switch
                    {
                        MetaKey.L4Proto => (FieldKind.L4Proto, 1),
                        MetaKey.NfProto => (FieldKind.NfProto, 1),
                        MetaKey.Protocol => (FieldKind.EtherType, 2),
                        MetaKey.InputInterfaceName => (FieldKind.InputInterfaceName, 16),
                        MetaKey.OutputInterfaceName => (FieldKind.OutputInterfaceName, 16),
                        _ => (FieldKind.Other, 4),
                    };
                    path.Load(metaDestination, kind, length, "meta " + MetaName(meta.Key));
                }
                return true;
            case PayloadExpression payload:
                if (payload.Destination is Register payloadDestination)
                {
                    (FieldKind payloadKind, string payloadName) = PayloadField(payload, path.Match.Families);
                    path.Load(payloadDestination, payloadKind, (int)payload.Length, payloadName);
                }
                return true;
            case CtExpression ct:
                if (ct.Destination is Register ctDestination)
                {
                    FieldKind ctKind = ct.Key switch
                    {
                        CtKey.State when ct.Direction is null => FieldKind.CtState,
                        CtKey.Status when ct.Direction is null => FieldKind.CtStatus,
                        _ => FieldKind.Other,
                    };
                    path.Load(ctDestination, ctKind, 4, "ct " + ct.Key.ToString().ToLowerInvariant());
                }
                return true;
            case BitwiseExpression bitwise:
                Bitwise(path, bitwise);
                return true;
            case FibExpression fib:
                Fib(path, fib);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A mask on ct state or ct status keeps the field (with the mask); any other bitwise makes the register "something else".</summary>
    private static void Bitwise(PathState path, BitwiseExpression bitwise)
    {
        RegisterField source = path.Field(bitwise.Source);
        if (source.Kind is FieldKind.CtState or FieldKind.CtStatus && bitwise.Mask is NftData mask && mask.Length == 4 && bitwise.Xor is NftData xor && IsZero(xor))
        {
            path.Load(bitwise.Destination, source.Kind, 4, source.Name, source.Mask & HostOrder.ReadUInt32(mask.Span));
        }
        else
        {
            path.Load(bitwise.Destination, FieldKind.Other, Math.Max(4, (int)bitwise.Length), source.Name);
        }
    }

    private static void Fib(PathState path, FibExpression fib)
    {
        string what = (fib.Flags & FibFlags.DestinationAddress) != 0 ? "daddr" : (fib.Flags & FibFlags.SourceAddress) != 0 ? "saddr" : "?";
        string fibResult = fib.Result switch
        {
            FibResult.AddressType => "type",
            FibResult.OutputInterface => "oif",
            FibResult.OutputInterfaceName => "oifname",
            _ => "result",
        };
        path.Load(fib.Destination, FieldKind.Other, fib.Result == FibResult.OutputInterfaceName ? 16 : 4, $"fib {what} {fibResult}");
    }

    private static (FieldKind Kind, string Name) PayloadField(PayloadExpression payload, IpFamilies families)
    {
        switch (payload.Base)
        {
            case PayloadBase.Transport:
                return (payload.Offset, payload.Length) switch
                {
                    (2, 2) => (FieldKind.DestinationPort, "th dport"),
                    (0, 2) => (FieldKind.Other, "th sport"),
                    _ => (FieldKind.Other, $"transport header + {payload.Offset}"),
                };
            case PayloadBase.Network when families == IpFamilies.IPv4:
                return (payload.Offset, payload.Length) switch
                {
                    (9, 1) => (FieldKind.L4Proto, "ip protocol"),
                    (12, 4) => (FieldKind.Other, "ip saddr"),
                    (16, 4) => (FieldKind.Other, "ip daddr"),
                    _ => (FieldKind.Other, $"ip header + {payload.Offset}"),
                };
            case PayloadBase.Network when families == IpFamilies.IPv6:
                return (payload.Offset, payload.Length) switch
                {
                    (6, 1) => (FieldKind.L4Proto, "ip6 nexthdr"),
                    (8, 16) => (FieldKind.Other, "ip6 saddr"),
                    (24, 16) => (FieldKind.Other, "ip6 daddr"),
                    _ => (FieldKind.Other, $"ip6 header + {payload.Offset}"),
                };
            default:
                return (FieldKind.Other, $"{payload.Base.ToString().ToLowerInvariant()} header + {payload.Offset}");
        }
    }

    private static string MetaName(MetaKey key) => key switch
    {
        MetaKey.InputInterfaceName => "iifname",
        MetaKey.OutputInterfaceName => "oifname",
        MetaKey.InputInterface => "iif",
        MetaKey.OutputInterface => "oif",
        MetaKey.L4Proto => "l4proto",
        MetaKey.NfProto => "nfproto",
        _ => key.ToString().ToLowerInvariant(),
    };

    private static bool IsZero(NftData data)
    {
        foreach (byte b in data.Span)
        {
            if (b != 0)
            {
                return false;
            }
        }
        return true;
    }
}
