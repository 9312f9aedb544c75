using System;
using System.Collections.Generic;
using System.Linq;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.Cli.Rulesets;

/// <summary>Turns a <see cref="Ruleset"/> read from the kernel into a <see cref="RulesetDocument"/>.</summary>
internal static class RulesetDocumentWriter
{
    public static RulesetDocument Write(Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        var document = new RulesetDocument { Generation = ruleset.Generation };
        foreach (Table table in ruleset.Tables)
        {
            bool Here(ProtocolFamily family, string name) => family == table.Family && name == table.Name;
            document.Tables.Add(new TableDocument
            {
                Family = NftNames.Family(table.Family),
                Name = table.Name,
                Flags = (uint)table.Flags,
                Userdata = Hex(table.UserData),
                Comment = table.UserData.IsEmpty ? null : UserData.ReadComment(table.UserData.Span),
                Chains = ruleset.Chains.Where(c => Here(c.Family, c.Table)).Select(Chain).ToList(),
                Objects = ruleset.Objects.Where(o => Here(o.Family, o.Table)).Select(Object).ToList(),
                Flowtables = ruleset.Flowtables.Where(f => Here(f.Family, f.Table)).Select(Flowtable).ToList(),
                Sets = ruleset.Sets.Where(s => Here(s.Family, s.Table)).Select(s => Set(s, ruleset.ElementsOf(s))).ToList(),
                Rules = ruleset.Rules.Where(r => Here(r.Family, r.Table)).Select(Rule).ToList(),
            });
        }
        return document;
    }

    private static ChainDocument Chain(Chain chain) => new()
    {
        Name = chain.Name,
        Hook = chain.Hook is ChainHook hook ? new HookDocument
        {
            Number = hook.HookNumber,
            HookName = NftNames.Hook(chain.Family, hook.HookNumber),
            Priority = hook.Priority,
            Device = hook.Device,
            Devices = hook.Devices?.ToList(),
        } : null,
        Type = chain.Type,
        Policy = chain.Policy is VerdictKind policy ? NftNames.Verdict(policy) : null,
        Flags = chain.Flags,
        Userdata = Hex(chain.UserData),
        Comment = chain.Comment,
    };

    private static ObjectDocument Object(NftObject obj) => new()
    {
        Name = obj.Name,
        Type = (uint)obj.Type,
        Data = Convert.ToHexStringLower(ExpressionData.Of(obj)),
        Userdata = Hex(obj.UserData),
        Comment = obj.Comment,
        Debug = obj.ToString(),
    };

    private static FlowtableDocument Flowtable(Flowtable flowtable) => new()
    {
        Name = flowtable.Name,
        Hook = flowtable.HookNumber,
        Priority = flowtable.Priority,
        Devices = flowtable.Devices?.ToList(),
        Flags = flowtable.Flags is FlowtableFlags flags ? (uint)flags : null,
    };

    private static SetDocument Set(Set set, IReadOnlyList<SetElement> elements) => new()
    {
        Name = set.Name,
        Flags = (uint)set.Flags,
        KeyType = set.KeyType,
        KeyLength = set.KeyLength,
        DataType = set.DataType,
        DataLength = set.DataLength,
        ObjectType = set.ObjectType,
        Policy = set.Policy,
        Size = set.Size,
        Concat = set.ConcatFieldLengths?.ToList(),
        Timeout = set.Timeout,
        GcInterval = set.GcInterval,
        Userdata = Hex(set.UserData),
        Comment = set.Comment,
        Expressions = set.Expressions?.Select(Expression).ToList(),
        Elements = elements.Select(Element).ToList(),
    };

    private static ElementDocument Element(SetElement element) => new()
    {
        Key = element.Key.ToString(),
        KeyEnd = element.KeyEnd?.ToString(),
        Data = element.Data?.ToString(),
        Verdict = element.Verdict is Verdict verdict ? new VerdictDocument { Kind = NftNames.Verdict(verdict.Kind), Chain = verdict.Chain } : null,
        ObjectReference = element.ObjectReference,
        Flags = element.Flags is SetElementFlags flags ? (uint)flags : null,
        Timeout = element.Timeout,
        Userdata = Hex(element.UserData),
        Comment = element.Comment,
        Expressions = element.Expressions?.Select(Expression).ToList(),
    };

    private static RuleDocument Rule(Rule rule) => new()
    {
        Chain = rule.Chain,
        Handle = rule.Handle,
        Userdata = Hex(rule.UserData),
        Comment = rule.Comment,
        Expressions = rule.Expressions.Select(Expression).ToList(),
    };

    internal static ExpressionDocument Expression(NftExpression expression) => new()
    {
        Name = expression.Name,
        Data = Convert.ToHexStringLower(ExpressionData.Of(expression)),
        Debug = expression.ToString(),
    };

    private static string? Hex(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty ? null : Convert.ToHexStringLower(bytes.Span);
}
