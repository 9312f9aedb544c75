using System;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Expressions that decide what happens to a matching packet: verdicts, NAT, redirect,
/// masquerade, tproxy, reject, queue, xtables targets (<see cref="RuleAction"/>).
/// </summary>
internal static class ActionExpressions
{
    /// <summary>Sets the path's action (or ends it, for NFT_BREAK); false when <paramref name="expression"/> is not one of these.</summary>
    public static bool TryApply(PathState path, NftExpression expression)
    {
        switch (expression)
        {
            case ImmediateExpression immediate:
                Immediate(path, immediate);
                return true;
            case NatExpression nat:
                path.Action = nat.Type == NatType.Dnat
                    ? new RuleAction(RuleActionKind.DestinationNat, "dnat")
                    : new RuleAction(RuleActionKind.SourceNat, "snat");
                return true;
            case RedirExpression:
                path.Action = new RuleAction(RuleActionKind.DestinationNat, "redirect");
                return true;
            case MasqExpression:
                path.Action = new RuleAction(RuleActionKind.SourceNat, "masquerade");
                return true;
            case TproxyExpression:
                // nft_tproxy_eval assigns the socket and lets the rule go on (mark, accept).
                path.Tproxy = true;
                return true;
            case RejectExpression:
                path.Action = new RuleAction(RuleActionKind.Reject, "reject");
                return true;
            case QueueExpression:
                path.Action = new RuleAction(RuleActionKind.Queue, "queue");
                return true;
            case TargetExpression target:
                path.Action = FromXtablesTarget(target.TargetName);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A verdict sets the action (NFT_BREAK ends the path: the rule does not match); data loads a register.</summary>
    private static void Immediate(PathState path, ImmediateExpression immediate)
    {
        if (immediate.Verdict is Verdict verdict)
        {
            if (verdict.Kind == VerdictKind.Break)
            {
                path.Dead = true;
            }
            else
            {
                path.Action = FromVerdict(verdict);
            }
        }
        else if (immediate.Data is NftData data)
        {
            path.Load(immediate.Destination, FieldKind.Other, Math.Max(1, data.Length), "a constant");
        }
    }

    internal static RuleAction FromVerdict(Verdict verdict) => verdict.Kind switch
    {
        VerdictKind.Accept => new RuleAction(RuleActionKind.Accept, "accept"),
        VerdictKind.Drop => new RuleAction(RuleActionKind.Drop, "drop"),
        VerdictKind.Stolen => new RuleAction(RuleActionKind.Drop, "stolen"),
        VerdictKind.Queue => new RuleAction(RuleActionKind.Queue, "queue"),
        VerdictKind.Jump => new RuleAction(RuleActionKind.Jump, "jump " + verdict.Chain, verdict.Chain),
        VerdictKind.Goto => new RuleAction(RuleActionKind.Goto, "goto " + verdict.Chain, verdict.Chain),
        VerdictKind.Return => new RuleAction(RuleActionKind.Return, "return"),
        _ => RuleAction.Continue,
    };

    /// <summary>xtables targets that iptables-nft keeps as <c>target</c> expressions (names as in the kernel's xt modules).</summary>
    private static RuleAction FromXtablesTarget(string? name) => name switch
    {
        "DNAT" or "REDIRECT" or "NETMAP" => new RuleAction(RuleActionKind.DestinationNat, $"iptables {name}"),
        "SNAT" or "MASQUERADE" => new RuleAction(RuleActionKind.SourceNat, $"iptables {name}"),
        "REJECT" => new RuleAction(RuleActionKind.Reject, "iptables REJECT"),
        "TPROXY" => new RuleAction(RuleActionKind.Tproxy, "iptables TPROXY"),
        "NFQUEUE" => new RuleAction(RuleActionKind.Queue, "iptables NFQUEUE"),
        // MARK, LOG, CT, CONNMARK, TCPMSS, ...: XT_CONTINUE, the next rule runs.
        _ => RuleAction.Continue,
    };
}
