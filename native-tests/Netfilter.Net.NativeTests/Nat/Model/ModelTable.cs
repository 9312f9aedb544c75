using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// The reference model of one typed NAT table: the set of rules it holds (by canonical text) and
/// whether the kernel table exists, with what <c>ApplyAsync</c>, <c>AddAsync</c> and
/// <c>RemoveAsync</c> must return or throw, written from the README and the XML docs of
/// <see cref="NatTable"/> and <see cref="INatTable"/>.
/// </summary>
/// <remarks>
/// Decisions where the documentation leaves room (each reported):
/// <list type="number">
/// <item>ApplyAsync's desired rules are a set: the same canonical rule given twice is one rule,
/// not two rules of one identity (the issue speaks of "desired sets").</item>
/// <item>ApplyAsync on a table that does not exist creates it, even for an empty set: the table
/// and its layout are part of what "holds exactly" means, and the README says creating the table
/// happens in the change's own transaction. So it reports the creation and Changed = true.</item>
/// <item>When several rules conflict with the one given to AddAsync or RemoveAsync, the holder
/// named may be any of them (the documentation names "the rule that holds them" without an
/// order).</item>
/// <item>RemoveAsync refuses when another rule claims some of the same packets: the claims of the
/// rule given (with its own local option) and of each rule present; the same-target rule of
/// forwards (a return-path matter) does not make a remove refuse.</item>
/// <item>AddAsync of a rule that is there whole returns false and sends nothing; the same identity
/// with other options is a conflict (README: "also one with the same identity and other
/// options").</item>
/// </list>
/// </remarks>
internal sealed class ModelTable
{
    private readonly List<ModelRule> _rules = new();

    public ModelTable(string name) => Name = name;

    public string Name { get; }

    public bool Exists { get; private set; }

    public IReadOnlyList<ModelRule> Rules => _rules;

    public IReadOnlySet<string> Texts => _rules.Select(r => r.Text).ToHashSet(StringComparer.Ordinal);

    public ModelRule? Find(string text) => _rules.FirstOrDefault(r => r.Text == text);

    /// <summary>An independent copy, for a search that tries several orders of the same calls (<see cref="ModelLinearizer"/>).</summary>
    public ModelTable Clone()
    {
        var copy = new ModelTable(Name) { Exists = Exists };
        copy._rules.AddRange(_rules);
        return copy;
    }

    /// <summary>The state as one string (existence and the rules in canonical order), to recognise a state seen before.</summary>
    public string Key => (Exists ? "+" : "-") + string.Join('\n', _rules.Select(r => r.Text).Order(StringComparer.Ordinal));

    /// <summary>What ApplyAsync must do; the model changes only when the outcome is not a refusal.</summary>
    public ApplyOutcome Apply(IEnumerable<NatRule> desired)
    {
        var wanted = new List<ModelRule>();
        foreach (NatRule rule in desired)
        {
            if (!wanted.Any(w => w.Text == rule.ToString()))
            {
                wanted.Add(ModelRule.Of(rule));
            }
        }
        var pairs = new List<(ModelRule, ModelRule)>();
        for (int i = 0; i < wanted.Count; i++)
        {
            for (int j = i + 1; j < wanted.Count; j++)
            {
                if (ModelConflicts.Conflict(wanted[i], wanted[j]))
                {
                    pairs.Add((wanted[i], wanted[j]));
                }
            }
        }
        if (pairs.Count > 0)
        {
            return new ApplyOutcome(pairs, Array.Empty<string>(), Array.Empty<string>(), 0, false, false);
        }
        IReadOnlySet<string> before = Texts;
        var added = wanted.Where(w => !before.Contains(w.Text)).Select(w => w.Text).ToList();
        var removed = _rules.Where(r => !wanted.Any(w => w.Text == r.Text)).Select(r => r.Text).ToList();
        int unchanged = wanted.Count - added.Count;
        bool created = !Exists;
        _rules.Clear();
        _rules.AddRange(wanted);
        Exists = true;
        return new ApplyOutcome(Array.Empty<(ModelRule, ModelRule)>(), added, removed, unchanged, created, created || added.Count > 0 || removed.Count > 0);
    }

    /// <summary>What AddAsync must do.</summary>
    public AddOutcome Add(NatRule rule)
    {
        var model = ModelRule.Of(rule);
        if (Find(model.Text) is not null)
        {
            return new AddOutcome(Array.Empty<ModelRule>(), false);
        }
        var holders = _rules.Where(r => ModelConflicts.Conflict(r, model)).ToList();
        if (holders.Count > 0)
        {
            return new AddOutcome(holders, false);
        }
        _rules.Add(model);
        Exists = true;
        return new AddOutcome(Array.Empty<ModelRule>(), true);
    }

    /// <summary>What RemoveAsync must do.</summary>
    public RemoveOutcome Remove(NatRule rule)
    {
        var model = ModelRule.Of(rule);
        ModelRule? match = _rules.FirstOrDefault(r => r.Identity == model.Identity);
        if (match is not null)
        {
            _rules.Remove(match);
            return new RemoveOutcome(Array.Empty<ModelRule>(), match.Text);
        }
        var holders = _rules.Where(r => ModelConflicts.ClaimsIntersect(r, model, ignoreInputInterface: false)).ToList();
        return new RemoveOutcome(holders, null);
    }

    /// <summary>The table as a person would read it, one rule per line.</summary>
    public override string ToString() => Exists ? string.Join('\n', _rules.Select(r => r.Text)) : "(no table)";
}

/// <summary>ApplyAsync's expected outcome: refused (the conflicting pairs), or what it added, removed and kept.</summary>
internal sealed record ApplyOutcome(IReadOnlyList<(ModelRule A, ModelRule B)> Conflicts, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, int Unchanged, bool Created, bool Changed)
{
    public bool Refused => Conflicts.Count > 0;
}

/// <summary>AddAsync's expected outcome: refused (any of the holders may be named), or its return value.</summary>
internal sealed record AddOutcome(IReadOnlyList<ModelRule> Holders, bool Added)
{
    public bool Refused => Holders.Count > 0;
}

/// <summary>RemoveAsync's expected outcome: refused (any of the holders may be named), or the canonical text of the rule removed (null: none).</summary>
internal sealed record RemoveOutcome(IReadOnlyList<ModelRule> Holders, string? Removed)
{
    public bool Refused => Holders.Count > 0;
}
