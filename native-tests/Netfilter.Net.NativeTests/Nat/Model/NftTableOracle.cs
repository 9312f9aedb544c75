using System.Globalization;
using System.Text;
using System.Text.Json;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// The independent view of a NAT table: <c>nft -j list table inet NAME</c> (a process per read, or
/// one long-lived <see cref="NftShell"/>), read into its chains
/// (each rule's chain and comment) and its sets and maps (each element as
/// <c>set: key [: value]</c> with its comment), then held against the model: every element and
/// every rule of the rule chains carries the comment of a model rule, each model rule has exactly
/// the pieces <see cref="ModelPieces"/> derives for it, and the base chains hold the layout's
/// rules only.
/// </summary>
internal sealed class NftTableOracle
{
    private static readonly string[] Chains = { "pre_rules", "out_rules", "post_forward", "post_rules", "prerouting", "output", "postrouting", "tproxy_rules" };
    private static readonly string[] Sets = { "redirect_pre", "redirect_out", "dnat4_pre", "dnat4_out", "dnat6_pre", "dnat6_out", "masq4", "masq6" };

    /// <summary>Base chains and how many layout rules each holds (README: jump, then one map lookup per kind; postrouting: the masq4/masq6 lookups and two jumps).</summary>
    private static readonly Dictionary<string, int> LayoutRules = new(StringComparer.Ordinal)
    {
        ["prerouting"] = 4,
        ["output"] = 4,
        ["postrouting"] = 4,
    };

    public bool Exists { get; private init; }

    public List<string> ChainNames { get; } = new();

    public List<string> SetNames { get; } = new();

    /// <summary>(chain, comment) of every rule, in listing order.</summary>
    public List<(string Chain, string? Comment)> Rules { get; } = new();

    /// <summary>(element, comment) of every element of every set and map.</summary>
    public List<(string Element, string? Comment)> Elements { get; } = new();

    public static NftTableOracle Read(TestNamespace ns, string table)
    {
        Tool.Result result = ns.Exec("nft", "-j", "list", "table", "inet", table);
        if (result.ExitCode != 0)
        {
            if (result.StandardError.Contains("No such file or directory", StringComparison.Ordinal))
            {
                return new NftTableOracle { Exists = false };
            }
            throw new InvalidOperationException($"nft -j list table inet {table} exited {result.ExitCode}: {result.StandardError}");
        }
        return Parse(result.StandardOutput);
    }

    /// <summary>The same listing through a long-lived <c>nft -j -i</c> in the namespace: what a model step can afford after every call.</summary>
    public static NftTableOracle Read(NftShell nft, string table) =>
        nft.List("table inet " + table) is string json ? Parse(json) : new NftTableOracle { Exists = false };

    private static NftTableOracle Parse(string json)
    {
        var oracle = new NftTableOracle { Exists = true };
        using JsonDocument document = JsonDocument.Parse(json);
        foreach (JsonElement item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("chain", out JsonElement chain))
            {
                oracle.ChainNames.Add(chain.GetProperty("name").GetString()!);
            }
            else if (item.TryGetProperty("rule", out JsonElement rule))
            {
                oracle.Rules.Add((rule.GetProperty("chain").GetString()!, rule.TryGetProperty("comment", out JsonElement c) ? c.GetString() : null));
            }
            else if (item.TryGetProperty("set", out JsonElement set) || item.TryGetProperty("map", out set))
            {
                string name = set.GetProperty("name").GetString()!;
                oracle.SetNames.Add(name);
                if (!set.TryGetProperty("elem", out JsonElement elements))
                {
                    continue;
                }
                foreach (JsonElement element in elements.EnumerateArray())
                {
                    // A map element is [key, value]; a set element is the key alone. A key with a comment is {"elem": {"val": KEY, "comment": C}}.
                    JsonElement key = element.ValueKind == JsonValueKind.Array ? element[0] : element;
                    string? value = element.ValueKind == JsonValueKind.Array ? Render(element[1]) : null;
                    string? comment = null;
                    if (key.ValueKind == JsonValueKind.Object && key.TryGetProperty("elem", out JsonElement wrapped))
                    {
                        comment = wrapped.TryGetProperty("comment", out JsonElement c) ? c.GetString() : null;
                        key = wrapped.GetProperty("val");
                    }
                    oracle.Elements.Add((ModelPieces.Element(name, Render(key), value), comment));
                }
            }
        }
        return oracle;
    }

    /// <summary>Every difference between what nft lists and what the model's rules must compile to; empty when they agree.</summary>
    public List<string> Differences(ModelTable model)
    {
        var problems = new List<string>();
        if (!Exists)
        {
            if (model.Exists)
            {
                problems.Add($"nft lists no table inet {model.Name}, the model has one");
            }
            return problems;
        }
        if (!model.Exists)
        {
            problems.Add($"nft lists table inet {model.Name}, which the model does not have yet");
        }
        if (!ChainNames.OrderBy(c => c, StringComparer.Ordinal).SequenceEqual(Chains.OrderBy(c => c, StringComparer.Ordinal)))
        {
            problems.Add($"chains are [{string.Join(", ", ChainNames)}], the layout has [{string.Join(", ", Chains)}]");
        }
        if (!SetNames.OrderBy(c => c, StringComparer.Ordinal).SequenceEqual(Sets.OrderBy(c => c, StringComparer.Ordinal)))
        {
            problems.Add($"sets and maps are [{string.Join(", ", SetNames)}], the layout has [{string.Join(", ", Sets)}]");
        }
        foreach (string chain in Chains)
        {
            int layout = Rules.Count(r => r.Chain == chain && r.Comment is not null && r.Comment.StartsWith("nfnet layout:", StringComparison.Ordinal));
            int expected = LayoutRules.GetValueOrDefault(chain);
            if (layout != expected)
            {
                problems.Add($"chain {chain} holds {layout} layout rules, the layout has {expected}");
            }
        }
        var rules = model.Rules.ToDictionary(r => r.Text, StringComparer.Ordinal);
        var actualElements = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var actualCounts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach ((string element, string? comment) in Elements)
        {
            if (comment is null || !rules.ContainsKey(comment))
            {
                problems.Add($"orphan element {element} (comment {Quote(comment)}): no model rule has that text");
                continue;
            }
            (actualElements.TryGetValue(comment, out List<string>? list) ? list : actualElements[comment] = new List<string>()).Add(element);
        }
        foreach ((string chain, string? comment) in Rules)
        {
            if (comment is not null && comment.StartsWith("nfnet layout:", StringComparison.Ordinal))
            {
                continue;
            }
            if (LayoutRules.ContainsKey(chain))
            {
                problems.Add($"base chain {chain} holds a rule that is not the layout's (comment {Quote(comment)})");
                continue;
            }
            if (comment is null || !rules.ContainsKey(comment))
            {
                problems.Add($"orphan rule in chain {chain} (comment {Quote(comment)}): no model rule has that text");
                continue;
            }
            Dictionary<string, int> counts = actualCounts.TryGetValue(comment, out Dictionary<string, int>? c) ? c : actualCounts[comment] = new Dictionary<string, int>(StringComparer.Ordinal);
            counts[chain] = counts.GetValueOrDefault(chain) + 1;
        }
        foreach (ModelRule rule in model.Rules)
        {
            ModelPieces expected = ModelPieces.Of(rule.Rule);
            List<string> elements = actualElements.GetValueOrDefault(rule.Text) ?? new List<string>();
            string want = string.Join("; ", expected.Elements.OrderBy(e => e, StringComparer.Ordinal));
            string have = string.Join("; ", elements.OrderBy(e => e, StringComparer.Ordinal));
            if (want != have)
            {
                problems.Add($"'{rule.Text}': elements [{have}], it must compile to [{want}]");
            }
            Dictionary<string, int> counts = actualCounts.GetValueOrDefault(rule.Text) ?? new Dictionary<string, int>();
            foreach (string chain in expected.RuleCounts.Keys.Union(counts.Keys))
            {
                if (expected.RuleCounts.GetValueOrDefault(chain) != counts.GetValueOrDefault(chain))
                {
                    problems.Add($"'{rule.Text}': {counts.GetValueOrDefault(chain)} rules in chain {chain}, it must compile to {expected.RuleCounts.GetValueOrDefault(chain)}");
                }
            }
        }
        return problems;
    }

    private static string Quote(string? comment) => comment is null ? "none" : $"\"{comment}\"";

    /// <summary>A key or value as nft writes it in its plain listing: concatenations joined by " . ".</summary>
    private static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetInt64().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Object when value.TryGetProperty("concat", out JsonElement parts) =>
            string.Join(" . ", parts.EnumerateArray().Select(Render)),
        _ => value.GetRawText(),
    };

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach ((string element, string? comment) in Elements)
        {
            sb.Append(element).Append(" # ").Append(comment).Append('\n');
        }
        foreach ((string chain, string? comment) in Rules)
        {
            sb.Append("rule in ").Append(chain).Append(" # ").Append(comment).Append('\n');
        }
        return sb.ToString();
    }
}
