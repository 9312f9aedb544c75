using System;
using System.Collections.Generic;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.Cli.Rulesets;

/// <summary>
/// Turns a <see cref="RulesetDocument"/> back into a <see cref="Ruleset"/> for
/// <see cref="NfTablesTransaction.Recreate"/>. Expressions come back as their raw attributes
/// (<see cref="UnknownExpression"/>), so what is sent is byte for byte what was saved. Anything
/// malformed stops the restore before anything is sent, naming where in the file it is.
/// </summary>
internal sealed class RulesetDocumentReader
{
    private readonly string _source;

    private RulesetDocumentReader(string source) => _source = source;

    /// <exception cref="CommandFailedException">The document is not a ruleset this version can restore.</exception>
    public static Ruleset Read(RulesetDocument document, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new RulesetDocumentReader(source).ReadDocument(document);
    }

    private Ruleset ReadDocument(RulesetDocument document)
    {
        if (document.Format != RulesetDocument.FormatName)
        {
            throw Bad("format", $"is {InputText.Quote(document.Format)}, not '{RulesetDocument.FormatName}': this is not a file written by 'nfnet ruleset save'");
        }
        if (document.Version != RulesetDocument.CurrentVersion)
        {
            throw Bad("version", $"is {document.Version}; this nfnet reads version {RulesetDocument.CurrentVersion}");
        }
        var tables = new List<Table>();
        var chains = new List<Chain>();
        var sets = new List<Set>();
        var elements = new Dictionary<(ProtocolFamily, string, string), IReadOnlyList<SetElement>>();
        var rules = new List<Rule>();
        var objects = new List<NftObject>();
        var flowtables = new List<Flowtable>();
        var seen = new HashSet<(ProtocolFamily, string)>();
        List<TableDocument> documentTables = document.Tables ?? new();
        for (int t = 0; t < documentTables.Count; t++)
        {
            TableDocument table = documentTables[t];
            string at = $"tables[{t}]";
            if (!NftNames.TryParseFamily(table.Family ?? string.Empty, out ProtocolFamily family))
            {
                throw Bad(at + ".family", $"{InputText.Quote(table.Family)} is not ip, ip6, inet, arp, bridge or netdev");
            }
            string tableName = Name(table.Name, at + ".name");
            if (!seen.Add((family, tableName)))
            {
                throw Bad(at, $"table {table.Family} {tableName} appears twice");
            }
            tables.Add(new Table(family, tableName) { Flags = (TableFlags)table.Flags, UserData = Bytes(table.Userdata, at + ".userdata") });
            for (int c = 0; c < (table.Chains ??= new()).Count; c++)
            {
                chains.Add(ReadChain(family, tableName, table.Chains[c], $"{at}.chains[{c}]"));
            }
            for (int o = 0; o < (table.Objects ??= new()).Count; o++)
            {
                ObjectDocument obj = table.Objects[o];
                string objectAt = $"{at}.objects[{o}]";
                // Raw, whatever the type: the saved attributes go back unchanged.
                objects.Add(new UnknownObject(family, tableName, Name(obj.Name, objectAt + ".name"), (NftObjectType)obj.Type, Bytes(obj.Data, objectAt + ".data").Span)
                {
                    UserData = Bytes(obj.Userdata, objectAt + ".userdata"),
                });
            }
            for (int f = 0; f < (table.Flowtables ??= new()).Count; f++)
            {
                FlowtableDocument flowtable = table.Flowtables[f];
                flowtables.Add(new Flowtable(family, tableName, Name(flowtable.Name, $"{at}.flowtables[{f}].name"))
                {
                    HookNumber = flowtable.Hook,
                    Priority = flowtable.Priority,
                    Devices = flowtable.Devices,
                    Flags = flowtable.Flags is uint flags ? (FlowtableFlags)flags : null,
                });
            }
            for (int s = 0; s < (table.Sets ??= new()).Count; s++)
            {
                (Set set, List<SetElement> list) = ReadSet(family, tableName, table.Sets[s], $"{at}.sets[{s}]");
                sets.Add(set);
                elements[(family, tableName, set.Name)] = list;
            }
            for (int r = 0; r < (table.Rules ??= new()).Count; r++)
            {
                RuleDocument rule = table.Rules[r];
                string ruleAt = $"{at}.rules[{r}]";
                rules.Add(new Rule(family, tableName, Name(rule.Chain, ruleAt + ".chain"), Expressions(rule.Expressions, ruleAt + ".expressions"))
                {
                    UserData = Bytes(rule.Userdata, ruleAt + ".userdata"),
                });
            }
        }
        return new Ruleset(document.Generation, tables, chains, sets, elements, rules, objects, flowtables);
    }

    private Chain ReadChain(ProtocolFamily family, string table, ChainDocument chain, string at)
    {
        VerdictKind? policy = null;
        if (chain.Policy is string p)
        {
            if (!NftNames.TryParseVerdict(p, out VerdictKind kind))
            {
                throw Bad(at + ".policy", $"{InputText.Quote(p)} is not a verdict (accept, drop)");
            }
            policy = kind;
        }
        ChainHook? hook = null;
        if (chain.Hook is HookDocument h)
        {
            hook = new ChainHook(h.Number, h.Priority, h.Device) { Devices = h.Devices };
        }
        return new Chain(family, table, Name(chain.Name, at + ".name"))
        {
            Hook = hook,
            Type = chain.Type,
            Policy = policy,
            Flags = chain.Flags,
            UserData = Bytes(chain.Userdata, at + ".userdata"),
        };
    }

    private (Set, List<SetElement>) ReadSet(ProtocolFamily family, string table, SetDocument set, string at)
    {
        var result = new Set(family, table, Name(set.Name, at + ".name"))
        {
            Flags = (SetFlags)set.Flags,
            KeyType = set.KeyType,
            KeyLength = set.KeyLength,
            DataType = set.DataType,
            DataLength = set.DataLength,
            ObjectType = set.ObjectType,
            Policy = set.Policy,
            Size = set.Size,
            ConcatFieldLengths = set.Concat,
            Timeout = set.Timeout,
            GcInterval = set.GcInterval,
            UserData = Bytes(set.Userdata, at + ".userdata"),
            Expressions = set.Expressions is null ? null : Expressions(set.Expressions, at + ".expressions"),
        };
        set.Elements ??= new();
        var elements = new List<SetElement>(set.Elements.Count);
        for (int e = 0; e < set.Elements.Count; e++)
        {
            ElementDocument element = set.Elements[e];
            string elementAt = $"{at}.elements[{e}]";
            Verdict? verdict = null;
            if (element.Verdict is VerdictDocument v)
            {
                if (!NftNames.TryParseVerdict(v.Kind ?? string.Empty, out VerdictKind kind))
                {
                    throw Bad(elementAt + ".verdict.kind", $"{InputText.Quote(v.Kind)} is not a verdict");
                }
                verdict = new Verdict(kind, v.Chain);
            }
            elements.Add(new SetElement(Data(element.Key, elementAt + ".key")!)
            {
                KeyEnd = Data(element.KeyEnd, elementAt + ".keyEnd"),
                Data = Data(element.Data, elementAt + ".data"),
                Verdict = verdict,
                ObjectReference = element.ObjectReference,
                Flags = element.Flags is uint f ? (SetElementFlags)f : null,
                Timeout = element.Timeout,
                UserData = Bytes(element.Userdata, elementAt + ".userdata"),
                Expressions = element.Expressions is null ? null : Expressions(element.Expressions, elementAt + ".expressions"),
            });
        }
        return (result, elements);
    }

    private List<NftExpression> Expressions(List<ExpressionDocument>? expressions, string at)
    {
        var result = new List<NftExpression>();
        if (expressions is null)
        {
            return result;
        }
        for (int i = 0; i < expressions.Count; i++)
        {
            ExpressionDocument expression = expressions[i];
            string name = Name(expression.Name, $"{at}[{i}].name");
            // Raw, whatever the name: the saved attributes go back unchanged.
            result.Add(new UnknownExpression(name, Bytes(expression.Data, $"{at}[{i}].data").Span));
        }
        return result;
    }

    private NftData? Data(string? hex, string at)
    {
        if (hex is null)
        {
            return null;
        }
        ReadOnlyMemory<byte> bytes = Bytes(hex, at);
        if (bytes.Length is 0 or > NftData.MaxLength)
        {
            throw Bad(at, $"holds {bytes.Length} bytes; a key or value is 1 to {NftData.MaxLength}");
        }
        return NftData.FromBytes(bytes.Span);
    }

    private ReadOnlyMemory<byte> Bytes(string? hex, string at)
    {
        if (string.IsNullOrEmpty(hex))
        {
            return ReadOnlyMemory<byte>.Empty;
        }
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw Bad(at, $"'{Shorten(hex)}' is not hex bytes");
        }
    }

    private string Name(string? name, string at) =>
        string.IsNullOrEmpty(name) ? throw Bad(at, "is missing") : name;

    private CommandFailedException Bad(string at, string problem) =>
        new($"{_source}: {at} {problem}; nothing was restored");

    private static string Shorten(string text) =>
        text.Length <= 24 ? text : text.Substring(0, 24) + "...";
}
