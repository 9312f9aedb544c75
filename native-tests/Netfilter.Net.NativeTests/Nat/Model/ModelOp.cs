using System.Globalization;
using System.Text;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// One step of a model run: a call of the library (apply, add, remove) or a probe, a real
/// connection that proves a sampled rule. A sequence prints as lines a person can read, edit and
/// replay (<see cref="Print"/>, <see cref="Parse"/>; NFNET_MODEL_REPLAY=file runs one):
/// <code>
/// apply 2
///   dnat tcp 80 to 10.0.2.2:22 masquerade
///   redirect tcp 81 to 8080
/// add dnat both 80-81 to [fd02::2] local
/// remove redirect tcp 81 to 8081
/// probe 3 17
/// </code>
/// </summary>
internal abstract record ModelOp
{
    public abstract void Print(StringBuilder sb);

    /// <summary>Is this a call of the library (the operations counted), rather than a probe?</summary>
    public virtual bool IsMutation => true;

    public static string Print(IEnumerable<ModelOp> ops)
    {
        var sb = new StringBuilder();
        foreach (ModelOp op in ops)
        {
            op.Print(sb);
        }
        return sb.ToString();
    }

    public static List<ModelOp> Parse(string text)
    {
        var ops = new List<ModelOp>();
        string[] lines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            int space = line.IndexOf(' ');
            string verb = space < 0 ? line : line[..space];
            string rest = space < 0 ? string.Empty : line[(space + 1)..];
            switch (verb)
            {
                case "apply":
                    int count = int.Parse(rest, CultureInfo.InvariantCulture);
                    var rules = new List<NatRule>();
                    for (int j = 0; j < count; j++)
                    {
                        rules.Add(NatRuleParser.Parse(lines[++i].Trim()));
                    }
                    ops.Add(new ApplyOp(rules));
                    break;
                case "add":
                    ops.Add(new AddOp(NatRuleParser.Parse(rest)));
                    break;
                case "remove":
                    ops.Add(new RemoveOp(NatRuleParser.Parse(rest)));
                    break;
                case "probe":
                    string[] numbers = rest.Split(' ');
                    ops.Add(new ProbeOp(int.Parse(numbers[0], CultureInfo.InvariantCulture), int.Parse(numbers[1], CultureInfo.InvariantCulture)));
                    break;
                default:
                    throw new FormatException($"line {i + 1}: '{line}' is not apply, add, remove or probe");
            }
        }
        return ops;
    }
}

internal sealed record ApplyOp(IReadOnlyList<NatRule> Rules) : ModelOp
{
    public override void Print(StringBuilder sb)
    {
        sb.Append("apply ").Append(Rules.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (NatRule rule in Rules)
        {
            sb.Append("  ").Append(rule).Append('\n');
        }
    }
}

internal sealed record AddOp(NatRule Rule) : ModelOp
{
    public override void Print(StringBuilder sb) => sb.Append("add ").Append(Rule).Append('\n');
}

internal sealed record RemoveOp(NatRule Rule) : ModelOp
{
    public override void Print(StringBuilder sb) => sb.Append("remove ").Append(Rule).Append('\n');
}

/// <summary>A real connection: <see cref="Pick"/> chooses the rule (among the model's rules and the last one removed), <see cref="Variant"/> how to reach it.</summary>
internal sealed record ProbeOp(int Pick, int Variant) : ModelOp
{
    public override bool IsMutation => false;

    public override void Print(StringBuilder sb) =>
        sb.Append("probe ").Append(Pick.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Variant.ToString(CultureInfo.InvariantCulture)).Append('\n');
}

/// <summary>
/// A read of the table (ListAsync) by one of several concurrent writers: no step of a sequence,
/// only of a linearization, where it must see the state of the serial order at its place
/// (<see cref="ModelLinearizer"/>).
/// </summary>
internal sealed record ReadOp : ModelOp
{
    public static readonly ReadOp Instance = new();

    public override bool IsMutation => false;

    public override void Print(StringBuilder sb) => sb.Append("read\n");
}
