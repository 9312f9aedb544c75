using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables.Internal.Documents;

/// <summary>
/// Writes what it visits as a ruleset document (format version 2, see <see cref="RulesetDocument"/>)
/// into a buffer that <see cref="FlushAsync"/> writes out: one line per table header, chain,
/// object, flowtable, set header, element and rule, so memory holds a few hundred parts at most
/// and a document diffs well. Expressions and objects are written as <see cref="AttributeText"/>.
/// </summary>
internal sealed class DocumentWriter : RulesetVisitor, IDisposable
{
    private enum Section
    {
        None,
        Chains,
        Objects,
        Flowtables,
        Sets,
        Rules,
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "The caller's stream: the caller disposes it.")]
    private readonly Stream _output;
    private readonly bool _annotate;
    private readonly JsonBuffer _json = new();
    private readonly NetlinkWriter _scratch = new(1024);
    private readonly System.Text.StringBuilder _debug = new(256);
    private bool _tableOpen;
    private bool _anyTable;
    private bool _anyElement;
    private Section _section;

    /// <param name="output">Where the document goes.</param>
    /// <param name="annotate">Also write, for people, what restore ignores (see <see cref="RulesetDocumentWriteOptions.Annotate"/>).</param>
    public DocumentWriter(Stream output, bool annotate)
    {
        _output = output;
        _annotate = annotate;
    }

    public override void BeginRuleset(uint generation)
    {
        _json.Raw("{\"format\":"u8);
        _json.String(RulesetDocument.FormatName);
        _json.Raw(",\"version\":"u8);
        _json.Number((ulong)RulesetDocument.CurrentVersion);
        _json.Raw(",\"generation\":"u8);
        _json.Number(generation);
        _json.Raw(",\"tables\":["u8);
    }

    public override void VisitTable(Table table)
    {
        if (_tableOpen)
        {
            EndTable(table);
        }
        _json.Raw(_anyTable ? ",\n{\"family\":"u8 : "\n{\"family\":"u8);
        _anyTable = true;
        _tableOpen = true;
        _section = Section.None;
        Family(table.Family);
        _json.Raw(",\"name\":"u8);
        _json.String(table.Name);
        _json.Raw(",\"flags\":"u8);
        _json.Number((ulong)table.Flags);
        Bytes(",\"userdata\":"u8, table.UserData);
        if (_annotate && !table.UserData.IsEmpty && UserData.ReadComment(table.UserData.Span) is string comment)
        {
            Text(",\"comment\":"u8, comment);
        }
    }

    public override void VisitChain(Chain chain)
    {
        Enter(Section.Chains, ",\"chains\":[\n"u8);
        _json.Raw("{\"name\":"u8);
        _json.String(chain.Name);
        if (chain.Hook is ChainHook hook)
        {
            _json.Raw(",\"hook\":{\"number\":"u8);
            _json.Number(hook.HookNumber);
            if (_annotate && ChainHooks.NameOf(chain.Family, hook.HookNumber) is string hookName)
            {
                Text(",\"hookName\":"u8, hookName);
            }
            _json.Raw(",\"priority\":"u8);
            _json.Number(hook.Priority);
            if (hook.Device is not null)
            {
                Text(",\"device\":"u8, hook.Device);
            }
            Strings(",\"devices\":"u8, hook.Devices);
            _json.Byte((byte)'}');
        }
        if (chain.Type is not null)
        {
            Text(",\"type\":"u8, chain.Type);
        }
        if (chain.Policy is VerdictKind policy)
        {
            _json.Raw(",\"policy\":"u8);
            Verdict(policy);
        }
        if (chain.Flags is uint flags)
        {
            _json.Raw(",\"flags\":"u8);
            _json.Number(flags);
        }
        Bytes(",\"userdata\":"u8, chain.UserData);
        if (_annotate && chain.Comment is string comment)
        {
            Text(",\"comment\":"u8, comment);
        }
        _json.Byte((byte)'}');
    }

    public override void VisitObject(NftObject obj)
    {
        Enter(Section.Objects, ",\"objects\":[\n"u8);
        _json.Raw("{\"name\":"u8);
        _json.String(obj.Name);
        _json.Raw(",\"type\":"u8);
        _json.Number((ulong)obj.Type);
        _json.Raw(",\"data\":\""u8);
        _scratch.Reset();
        obj.EncodeData(_scratch);
        AttributeText.Write(_json, _scratch.WrittenSpan, leadingSpace: false);
        _json.Byte((byte)'"');
        Bytes(",\"userdata\":"u8, obj.UserData);
        if (_annotate)
        {
            if (obj.Comment is string comment)
            {
                Text(",\"comment\":"u8, comment);
            }
            Text(",\"debug\":"u8, obj.ToString());
        }
        _json.Byte((byte)'}');
    }

    public override void VisitFlowtable(Flowtable flowtable)
    {
        Enter(Section.Flowtables, ",\"flowtables\":[\n"u8);
        _json.Raw("{\"name\":"u8);
        _json.String(flowtable.Name);
        if (flowtable.HookNumber is uint hook)
        {
            _json.Raw(",\"hook\":"u8);
            _json.Number(hook);
        }
        if (flowtable.Priority is int priority)
        {
            _json.Raw(",\"priority\":"u8);
            _json.Number(priority);
        }
        Strings(",\"devices\":"u8, flowtable.Devices);
        if (flowtable.Flags is FlowtableFlags flags)
        {
            _json.Raw(",\"flags\":"u8);
            _json.Number((ulong)flags);
        }
        _json.Byte((byte)'}');
    }

    public override void VisitSet(Set set)
    {
        Enter(Section.Sets, ",\"sets\":[\n"u8);
        _json.Raw("{\"name\":"u8);
        _json.String(set.Name);
        _json.Raw(",\"flags\":"u8);
        _json.Number((ulong)set.Flags);
        _json.Raw(",\"keyType\":"u8);
        _json.Number(set.KeyType);
        _json.Raw(",\"keyLength\":"u8);
        _json.Number(set.KeyLength);
        Number(",\"dataType\":"u8, set.DataType);
        Number(",\"dataLength\":"u8, set.DataLength);
        Number(",\"objectType\":"u8, set.ObjectType);
        Number(",\"policy\":"u8, set.Policy);
        Number(",\"size\":"u8, set.Size);
        if (set.ConcatFieldLengths is { } fields)
        {
            _json.Raw(",\"concat\":["u8);
            for (int i = 0; i < fields.Count; i++)
            {
                if (i > 0)
                {
                    _json.Byte((byte)',');
                }
                _json.Number(fields[i]);
            }
            _json.Byte((byte)']');
        }
        Number(",\"timeout\":"u8, set.Timeout);
        Number(",\"gcInterval\":"u8, set.GcInterval);
        Bytes(",\"userdata\":"u8, set.UserData);
        if (_annotate && set.Comment is string comment)
        {
            Text(",\"comment\":"u8, comment);
        }
        Expressions(",\"expressions\":"u8, set.Expressions);
        _json.Raw(",\"elements\":["u8);
        _anyElement = false;
    }

    public override void VisitElement(Set set, SetElement element)
    {
        _json.Raw(_anyElement ? ",\n{"u8 : "\n{"u8);
        _anyElement = true;
        bool catchAll = element.Flags is SetElementFlags f && (f & SetElementFlags.CatchAll) != 0;
        // A catch-all element has no key (NFT_SET_ELEM_CATCHALL): the field is left out.
        bool first = true;
        if (!(catchAll && element.Key.Length == 0))
        {
            _json.Raw("\"key\":"u8);
            _json.Hex(element.Key.Span);
            first = false;
        }
        if (element.KeyEnd is not null)
        {
            Field(ref first, "\"keyEnd\":"u8);
            _json.Hex(element.KeyEnd.Span);
        }
        if (element.Data is not null)
        {
            Field(ref first, "\"data\":"u8);
            _json.Hex(element.Data.Span);
        }
        if (element.Verdict is Verdict verdict)
        {
            Field(ref first, "\"verdict\":{\"kind\":"u8);
            Verdict(verdict.Kind);
            if (verdict.Chain is not null)
            {
                Text(",\"chain\":"u8, verdict.Chain);
            }
            _json.Byte((byte)'}');
        }
        if (element.ObjectReference is not null)
        {
            Field(ref first, "\"objectReference\":"u8);
            _json.String(element.ObjectReference);
        }
        if (element.Flags is SetElementFlags flags)
        {
            Field(ref first, "\"flags\":"u8);
            _json.Number((ulong)flags);
        }
        if (element.Timeout is ulong timeout)
        {
            Field(ref first, "\"timeout\":"u8);
            _json.Number(timeout);
        }
        if (element.Expiration is ulong expiration)
        {
            Field(ref first, "\"expiration\":"u8);
            _json.Number(expiration);
        }
        if (!element.UserData.IsEmpty)
        {
            Field(ref first, "\"userdata\":"u8);
            _json.Hex(element.UserData.Span);
        }
        if (_annotate && element.Comment is string comment)
        {
            Field(ref first, "\"comment\":"u8);
            _json.String(comment);
        }
        if (element.Expressions is not null)
        {
            Field(ref first, "\"expressions\":"u8);
            ExpressionArray(element.Expressions);
        }
        _json.Byte((byte)'}');
    }

    public override void EndSet(Set set) => _json.Raw("]}"u8);

    public override void VisitRule(Rule rule)
    {
        Enter(Section.Rules, ",\"rules\":[\n"u8);
        _json.Raw("{\"chain\":"u8);
        _json.String(rule.Chain);
        if (_annotate && rule.Handle != 0)
        {
            _json.Raw(",\"handle\":"u8);
            _json.Number(rule.Handle);
        }
        Bytes(",\"userdata\":"u8, rule.UserData);
        if (_annotate && rule.Comment is string comment)
        {
            Text(",\"comment\":"u8, comment);
        }
        Expressions(",\"expressions\":"u8, rule.Expressions);
        if (_annotate)
        {
            _json.Raw(",\"debug\":["u8);
            for (int i = 0; i < rule.Expressions.Count; i++)
            {
                if (i > 0)
                {
                    _json.Byte((byte)',');
                }
                _debug.Clear();
                rule.Expressions[i].AppendDebug(_debug);
                _json.String(_debug);
            }
            _json.Byte((byte)']');
        }
        _json.Byte((byte)'}');
    }

    public override void EndTable(Table table)
    {
        if (!_tableOpen)
        {
            return;
        }
        if (_section != Section.None)
        {
            _json.Byte((byte)']');
        }
        _json.Byte((byte)'}');
        _tableOpen = false;
        _section = Section.None;
    }

    public override void EndRuleset() => _json.Raw("\n]}\n"u8);

    /// <summary>Writes the buffer out synchronously (a ruleset walked in memory has nothing to wait for).</summary>
    public void Flush()
    {
        _output.Write(_json.Written.Span);
        _json.Clear();
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_json.Length > 0)
        {
            await _output.WriteAsync(_json.Written, cancellationToken).ConfigureAwait(false);
            _json.Clear();
        }
    }

    public void Dispose()
    {
        _json.Dispose();
        _scratch.Dispose();
    }

    /// <summary>Starts <paramref name="section"/> of the current table, or the next item in it.</summary>
    private void Enter(Section section, ReadOnlySpan<byte> opening)
    {
        if (!_tableOpen)
        {
            throw new InvalidOperationException($"a {section} part came outside a table: visit the table first");
        }
        if (section == _section)
        {
            _json.Raw(",\n"u8);
            return;
        }
        if (section < _section)
        {
            throw new InvalidOperationException($"{section} came after {_section}: a table's parts come as chains, objects, flowtables, sets, rules");
        }
        if (_section != Section.None)
        {
            _json.Byte((byte)']');
        }
        _json.Raw(opening);
        _section = section;
    }

    /// <summary>
    /// Expressions as strings, <c>"name attributes"</c> (<see cref="AttributeText"/>), or just
    /// <c>"name"</c> for one the kernel takes without NFTA_EXPR_DATA. A name that is not a plain
    /// word (none the kernel knows) goes as <c>{"name":..., "data": HEX}</c>.
    /// </summary>
    private void Expressions(ReadOnlySpan<byte> property, IReadOnlyList<NftExpression>? expressions)
    {
        if (expressions is not null)
        {
            _json.Raw(property);
            ExpressionArray(expressions);
        }
    }

    private void ExpressionArray(IReadOnlyList<NftExpression> expressions)
    {
        _json.Byte((byte)'[');
        for (int i = 0; i < expressions.Count; i++)
        {
            if (i > 0)
            {
                _json.Byte((byte)',');
            }
            NftExpression expression = expressions[i];
            _scratch.Reset();
            expression.EncodeData(_scratch);
            if (!IsPlainName(expression.Name))
            {
                _json.Raw("{\"name\":"u8);
                _json.String(expression.Name);
                if (expression.HasData)
                {
                    _json.Raw(",\"data\":"u8);
                    _json.Hex(_scratch.WrittenSpan);
                }
                _json.Byte((byte)'}');
                continue;
            }
            _json.Byte((byte)'"');
            _json.Ascii(expression.Name);
            if (expression.HasData)
            {
                AttributeText.Write(_json, _scratch.WrittenSpan, leadingSpace: true);
            }
            _json.Byte((byte)'"');
        }
        _json.Byte((byte)']');
    }

    /// <summary>Letters, digits, '_', '-', '.': every expression name the kernel has.</summary>
    internal static bool IsPlainName(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }
        return name.Length > 0;
    }

    /// <summary>A property of an object whose first property may be absent: the comma goes before every property but the first.</summary>
    private void Field(ref bool first, ReadOnlySpan<byte> property)
    {
        if (!first)
        {
            _json.Byte((byte)',');
        }
        first = false;
        _json.Raw(property);
    }

    private void Family(NetfilterFamily family)
    {
        string name = FamilyNames.Of(family);
        if (name == "unknown")
        {
            _json.String(((byte)family).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            _json.String(name);
        }
    }

    private void Verdict(VerdictKind kind) =>
        _json.String(NftNames.Verdict(kind) ?? ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void Text(ReadOnlySpan<byte> property, string value)
    {
        _json.Raw(property);
        _json.String(value);
    }

    private void Number(ReadOnlySpan<byte> property, ulong? value)
    {
        if (value is ulong v)
        {
            _json.Raw(property);
            _json.Number(v);
        }
    }

    private void Bytes(ReadOnlySpan<byte> property, ReadOnlyMemory<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            _json.Raw(property);
            _json.Hex(bytes.Span);
        }
    }

    private void Strings(ReadOnlySpan<byte> property, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }
        _json.Raw(property);
        _json.Byte((byte)'[');
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                _json.Byte((byte)',');
            }
            _json.String(values[i]);
        }
        _json.Byte((byte)']');
    }
}
