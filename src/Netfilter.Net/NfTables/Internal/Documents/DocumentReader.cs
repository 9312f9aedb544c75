using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables.Internal.Documents;

/// <summary>
/// Reads a ruleset document (versions 1 and 2) as it streams in, and passes each part to a
/// <see cref="RulesetVisitor"/> as soon as it is complete: nothing but the part being read is
/// held. Expressions and objects come back raw (<see cref="UnknownExpression"/>,
/// <see cref="UnknownObject"/>), so what is sent is byte for byte what was saved. Every value the
/// kernel or the library would refuse is refused here, before the visitor sees it, with a
/// <see cref="RulesetDocumentException"/> that names where it is.
/// </summary>
/// <remarks>
/// A streaming reader needs a part's identity before its contents: a table's family and name
/// come before its chains, objects, flowtables, sets and rules (in that order, the order a
/// transaction creates them in), and a set's fields before its elements. Every document
/// <see cref="RulesetDocument"/> writes, in either version, is in that order.
/// </remarks>
internal sealed class DocumentReader : IDisposable
{
    /// <summary>The longest single JSON token accepted: far more than any part of a ruleset takes (a rule's expressions fit in 64 KiB).</summary>
    private const int MaxTokenBytes = 1 << 20;

    private readonly JsonStreamReader _json;
    private readonly CountingVisitor _visitor;
    private readonly CancellationToken _cancellationToken;
    private readonly NetlinkWriter _scratch = new(1024);
    private readonly HashSet<(NetfilterFamily, string)> _tables = new();
    private readonly ExpressionNames _names = new();
    private byte[] _unescaped = new byte[256];
    private long _version;
    private string _where = string.Empty;
    private string? _property;

    private DocumentReader(Stream input, CountingVisitor visitor, long maxBytes, CancellationToken cancellationToken)
    {
        _json = new JsonStreamReader(input, maxBytes, MaxTokenBytes);
        _visitor = visitor;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Reads the whole document from <paramref name="input"/> into <paramref name="visitor"/>.</summary>
    /// <exception cref="RulesetDocumentException">The document cannot be read; the visitor may have seen the parts before the problem.</exception>
    public static async Task<RulesetSummary> ReadAsync(Stream input, RulesetVisitor visitor, long maxBytes, CancellationToken cancellationToken)
    {
        var counter = new CountingVisitor(visitor);
        using var reader = new DocumentReader(input, counter, maxBytes, cancellationToken);
        try
        {
            await reader.DocumentAsync().ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new RulesetDocumentException(reader.Where, "is not valid JSON: " + Sentence(e.Message), reader._json.Line, e);
        }
        catch (JsonReaderLimitException e)
        {
            throw new RulesetDocumentException(reader.Where, e.Message, reader._json.Line);
        }
        await counter.FlushAsync(cancellationToken).ConfigureAwait(false);
        return counter.Summary;
    }

    public void Dispose()
    {
        _json.Dispose();
        _scratch.Dispose();
    }

    /// <summary>Where the reader is, for messages: the part, and the property being read.</summary>
    private string Where => _property is null ? _where : _where.Length == 0 ? _property : _where + "." + _property;

    private async Task DocumentAsync()
    {
        if (!await _json.ReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            throw Bad(string.Empty, "is empty: a saved ruleset is a JSON object");
        }
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw Bad(string.Empty, "is not a ruleset document: it does not start with a JSON object");
        }
        string? format = null;
        long? version = null;
        uint generation = 0;
        bool begun = false;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            switch (property)
            {
                case "format":
                    format = await StringAsync().ConfigureAwait(false);
                    break;
                case "version":
                    version = (long)await UnsignedAsync(int.MaxValue).ConfigureAwait(false);
                    break;
                case "generation":
                    generation = await UInt32Async().ConfigureAwait(false);
                    break;
                case "tables":
                    CheckHeader(format, version);
                    _visitor.BeginRuleset(generation);
                    begun = true;
                    await TablesAsync().ConfigureAwait(false);
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        if (!begun)
        {
            CheckHeader(format, version);
            _visitor.BeginRuleset(generation);
        }
        // Anything after the document's object is an error (Utf8JsonReader says so).
        await _json.ReadAsync(_cancellationToken).ConfigureAwait(false);
        _visitor.EndRuleset();
    }

    private void CheckHeader(string? format, long? version)
    {
        if (format != RulesetDocument.FormatName)
        {
            throw Bad("format", format is null
                ? $"is missing: this is not a ruleset document of Netfilter.Net, whose first field is \"format\": \"{RulesetDocument.FormatName}\""
                : $"is {InputText.Quote(format)}, not '{RulesetDocument.FormatName}': this is not a ruleset document of Netfilter.Net");
        }
        if (version is not (1 or 2))
        {
            throw Bad("version", version is null
                ? "is missing: it must come before the tables"
                : $"is {version}; this version of Netfilter.Net reads versions 1 and {RulesetDocument.CurrentVersion}");
        }
        _version = version.Value;
    }

    private async Task TablesAsync()
    {
        await ExpectAsync(JsonTokenType.StartArray, "tables", "a list of tables").ConfigureAwait(false);
        for (int t = 0; await NextItemAsync().ConfigureAwait(false); t++)
        {
            await TableAsync($"tables[{t}]").ConfigureAwait(false);
            await _visitor.FlushIfDueAsync(_cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The order of a table's lists, which is the order a transaction creates them in.</summary>
    private static int SectionOrder(string property) => property switch
    {
        "chains" => 1,
        "objects" => 2,
        "flowtables" => 3,
        "sets" => 4,
        "rules" => 5,
        _ => 0,
    };

    private async Task TableAsync(string at)
    {
        EnterItem(at, "a table");
        string? familyText = null, name = null;
        uint flags = 0;
        byte[]? userData = null;
        Table? table = null;
        int section = 0;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            int order = SectionOrder(property);
            if (order > 0)
            {
                table ??= Table(at, familyText, name, flags, userData);
                if (order < section)
                {
                    throw Bad($"{at}.{property}", "comes after a list that must follow it: a table lists its chains, objects, flowtables, sets and rules in that order");
                }
                section = order;
                await SectionAsync(property, $"{at}.{property}", table).ConfigureAwait(false);
                _where = at;
                _property = null;
                continue;
            }
            if (table is not null && property is "family" or "name" or "flags" or "userdata")
            {
                throw Bad($"{at}.{property}", "comes after the table's lists; it must come before them");
            }
            switch (property)
            {
                case "family":
                    familyText = await StringAsync().ConfigureAwait(false);
                    break;
                case "name":
                    name = await StringAsync().ConfigureAwait(false);
                    break;
                case "flags":
                    flags = await UInt32Async().ConfigureAwait(false);
                    break;
                case "userdata":
                    userData = await UserDataAsync().ConfigureAwait(false);
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        table ??= Table(at, familyText, name, flags, userData);
        _visitor.EndTable(table);
    }

    private Table Table(string at, string? familyText, string? name, uint flags, byte[]? userData)
    {
        NetfilterFamily family = Family(at + ".family", familyText);
        CheckName(at + ".name", name, "table");
        if (!_tables.Add((family, name!)))
        {
            throw Bad(at, $"is table {FamilyNames.Of(family)} {name} a second time");
        }
        var table = new Table(family, name!) { Flags = (TableFlags)flags, UserData = userData ?? ReadOnlyMemory<byte>.Empty };
        _where = at;
        _visitor.VisitTable(table);
        return table;
    }

    private async Task SectionAsync(string property, string at, Table table)
    {
        await ExpectAsync(JsonTokenType.StartArray, at, "a list").ConfigureAwait(false);
        for (int i = 0; await NextItemAsync().ConfigureAwait(false); i++)
        {
            string item = $"{at}[{i}]";
            switch (property)
            {
                case "chains":
                    await ChainAsync(item, table).ConfigureAwait(false);
                    break;
                case "objects":
                    await ObjectAsync(item, table).ConfigureAwait(false);
                    break;
                case "flowtables":
                    await FlowtableAsync(item, table).ConfigureAwait(false);
                    break;
                case "sets":
                    await SetAsync(item, table).ConfigureAwait(false);
                    break;
                default:
                    await RuleAsync(item, table).ConfigureAwait(false);
                    break;
            }
            await _visitor.FlushIfDueAsync(_cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ChainAsync(string at, Table table)
    {
        EnterItem(at, "a chain");
        string? name = null, type = null, policyText = null;
        uint? flags = null;
        byte[]? userData = null;
        ChainHook? hook = null;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            switch (property)
            {
                case "name":
                    name = await StringAsync().ConfigureAwait(false);
                    break;
                case "hook":
                    hook = await HookAsync(at + ".hook").ConfigureAwait(false);
                    _where = at;
                    break;
                case "type":
                    type = await StringAsync().ConfigureAwait(false);
                    break;
                case "policy":
                    policyText = await StringAsync().ConfigureAwait(false);
                    break;
                case "flags":
                    flags = await UInt32Async().ConfigureAwait(false);
                    break;
                case "userdata":
                    userData = await UserDataAsync().ConfigureAwait(false);
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        CheckName(at + ".name", name, "chain");
        VerdictKind? policy = policyText is null ? null : VerdictKindOf(at + ".policy", policyText);
        _visitor.VisitChain(new Chain(table.Family, table.Name, name!)
        {
            Hook = hook,
            Type = type,
            Policy = policy,
            Flags = flags,
            UserData = userData ?? ReadOnlyMemory<byte>.Empty,
        });
    }

    private async Task<ChainHook?> HookAsync(string at)
    {
        if (await NullAsync().ConfigureAwait(false))
        {
            return null;
        }
        EnterItem(at, "a hook");
        uint number = 0;
        int priority = 0;
        string? device = null;
        List<string>? devices = null;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            switch (property)
            {
                case "number":
                    number = await UInt32Async().ConfigureAwait(false);
                    break;
                case "priority":
                    priority = await SignedAsync().ConfigureAwait(false);
                    break;
                case "device":
                    device = await StringAsync().ConfigureAwait(false);
                    break;
                case "devices":
                    devices = await StringsAsync().ConfigureAwait(false);
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        return new ChainHook(number, priority, device) { Devices = devices };
    }

    private async Task ObjectAsync(string at, Table table)
    {
        EnterItem(at, "an object");
        string? name = null;
        uint type = 0;
        byte[]? data = null;
        byte[]? userData = null;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            switch (property)
            {
                case "name":
                    name = await StringAsync().ConfigureAwait(false);
                    break;
                case "type":
                    type = await UInt32Async().ConfigureAwait(false);
                    break;
                case "data":
                    data = await ObjectDataAsync().ConfigureAwait(false);
                    break;
                case "userdata":
                    userData = await UserDataAsync().ConfigureAwait(false);
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        CheckName(at + ".name", name, "object");
        if (data is null)
        {
            throw Bad(at + ".data", "is missing: an object's attributes are what restore sends");
        }
        // Raw, whatever the type: the saved attributes go back unchanged.
        _visitor.VisitObject(new UnknownObject(table.Family, table.Name, name!, (NftObjectType)type, data)
        {
            UserData = userData ?? ReadOnlyMemory<byte>.Empty,
        });
    }

    private async Task<byte[]> ObjectDataAsync()
    {
        await ExpectAsync(JsonTokenType.String, Where, "a string").ConfigureAwait(false);
        ReadOnlySpan<byte> text = _json.GetUtf8(ref _unescaped);
        byte[] data = _version == 1 ? Hex(text, Where) : Attributes(text, 0, Where).ToArray();
        if (data.Length > NetlinkWriter.MaxAttributePayload)
        {
            throw Bad(Where, $"holds {data.Length} bytes; an object's attributes fit in {NetlinkWriter.MaxAttributePayload} (nla_len is 16 bits)");
        }
        return data;
    }

    private async Task FlowtableAsync(string at, Table table)
    {
        EnterItem(at, "a flowtable");
        string? name = null;
        uint? hook = null, flags = null;
        int? priority = null;
        List<string>? devices = null;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            switch (property)
            {
                case "name":
                    name = await StringAsync().ConfigureAwait(false);
                    break;
                case "hook":
                    hook = await UInt32Async().ConfigureAwait(false);
                    break;
                case "priority":
                    priority = await SignedAsync().ConfigureAwait(false);
                    break;
                case "devices":
                    devices = await StringsAsync().ConfigureAwait(false);
                    break;
                case "flags":
                    flags = await UInt32Async().ConfigureAwait(false);
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        CheckName(at + ".name", name, "flowtable");
        _visitor.VisitFlowtable(new Flowtable(table.Family, table.Name, name!)
        {
            HookNumber = hook,
            Priority = priority,
            Devices = devices,
            Flags = flags is uint f ? (FlowtableFlags)f : null,
        });
    }

    private async Task SetAsync(string at, Table table)
    {
        EnterItem(at, "a set");
        string? name = null;
        uint flags = 0, keyType = 0, keyLength = 0;
        uint? dataType = null, dataLength = null, objectType = null, policy = null, size = null, gcInterval = null;
        ulong? timeout = null;
        List<uint>? concat = null;
        byte[]? userData = null;
        List<NftExpression>? expressions = null;
        Set? set = null;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            if (set is not null)
            {
                throw Bad($"{at}.{property}", "comes after the set's elements; a set's fields come before its elements");
            }
            switch (property)
            {
                case "name":
                    name = await StringAsync().ConfigureAwait(false);
                    break;
                case "flags":
                    flags = await UInt32Async().ConfigureAwait(false);
                    break;
                case "keyType":
                    keyType = await UInt32Async().ConfigureAwait(false);
                    break;
                case "keyLength":
                    keyLength = await UInt32Async().ConfigureAwait(false);
                    break;
                case "dataType":
                    dataType = await UInt32Async().ConfigureAwait(false);
                    break;
                case "dataLength":
                    dataLength = await UInt32Async().ConfigureAwait(false);
                    break;
                case "objectType":
                    objectType = await UInt32Async().ConfigureAwait(false);
                    break;
                case "policy":
                    policy = await UInt32Async().ConfigureAwait(false);
                    break;
                case "size":
                    size = await UInt32Async().ConfigureAwait(false);
                    break;
                case "concat":
                    concat = await UnsignedListAsync().ConfigureAwait(false);
                    break;
                case "timeout":
                    timeout = await UnsignedAsync(ulong.MaxValue).ConfigureAwait(false);
                    break;
                case "gcInterval":
                    gcInterval = await UInt32Async().ConfigureAwait(false);
                    break;
                case "userdata":
                    userData = await UserDataAsync().ConfigureAwait(false);
                    break;
                case "expressions":
                    expressions = await ExpressionsAsync(at + ".expressions").ConfigureAwait(false);
                    _where = at;
                    break;
                case "elements":
                    set = NewSet();
                    _visitor.VisitSet(set);
                    await ElementsAsync(at + ".elements", set).ConfigureAwait(false);
                    _where = at;
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        if (set is null)
        {
            set = NewSet();
            _visitor.VisitSet(set);
        }
        _visitor.EndSet(set);

        Set NewSet()
        {
            CheckName(at + ".name", name, "set");
            return new Set(table.Family, table.Name, name!)
            {
                Flags = (SetFlags)flags,
                KeyType = keyType,
                KeyLength = keyLength,
                DataType = dataType,
                DataLength = dataLength,
                ObjectType = objectType,
                Policy = policy,
                Size = size,
                ConcatFieldLengths = concat,
                Timeout = timeout,
                GcInterval = gcInterval,
                UserData = userData ?? ReadOnlyMemory<byte>.Empty,
                Expressions = expressions,
            };
        }
    }

    private async Task ElementsAsync(string at, Set set)
    {
        await ExpectAsync(JsonTokenType.StartArray, at, "a list of elements").ConfigureAwait(false);
        for (int e = 0; await NextItemAsync().ConfigureAwait(false); e++)
        {
            await ElementAsync($"{at}[{e}]", set).ConfigureAwait(false);
            await _visitor.FlushIfDueAsync(_cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ElementAsync(string at, Set set)
    {
        EnterItem(at, "an element");
        NftData? key = null, keyEnd = null, data = null;
        Verdict? verdict = null;
        string? objectReference = null;
        uint? flags = null;
        ulong? timeout = null, expiration = null;
        byte[]? userData = null;
        List<NftExpression>? expressions = null;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            switch (property)
            {
                case "key":
                    key = await DataAsync(allowEmpty: true).ConfigureAwait(false);
                    break;
                case "keyEnd":
                    keyEnd = await DataAsync(allowEmpty: false).ConfigureAwait(false);
                    break;
                case "data":
                    data = await DataAsync(allowEmpty: false).ConfigureAwait(false);
                    break;
                case "verdict":
                    verdict = await VerdictAsync(at + ".verdict").ConfigureAwait(false);
                    _where = at;
                    break;
                case "objectReference":
                    objectReference = await StringAsync().ConfigureAwait(false);
                    break;
                case "flags":
                    flags = await UInt32Async().ConfigureAwait(false);
                    break;
                case "timeout":
                    timeout = await UnsignedAsync(ulong.MaxValue).ConfigureAwait(false);
                    break;
                case "expiration":
                    expiration = await UnsignedAsync(ulong.MaxValue).ConfigureAwait(false);
                    break;
                case "userdata":
                    userData = await UserDataAsync().ConfigureAwait(false);
                    break;
                case "expressions":
                    expressions = await ExpressionsAsync(at + ".expressions").ConfigureAwait(false);
                    _where = at;
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        bool catchAll = flags is uint f && (f & (uint)SetElementFlags.CatchAll) != 0;
        if (key is null || key.Length == 0)
        {
            // NFT_SET_ELEM_CATCHALL: the one element without a key.
            if (!catchAll)
            {
                throw Bad(at + ".key", key is null
                    ? "is missing: only a catch-all element (flags 2) has no key"
                    : $"holds 0 bytes; a key is 1 to {NftData.MaxLength}, and only a catch-all element (flags 2) has none");
            }
            key = NftData.FromBytes(ReadOnlySpan<byte>.Empty);
        }
        if (objectReference is not null)
        {
            CheckName(at + ".objectReference", objectReference, "object");
        }
        _visitor.VisitElement(set, new SetElement(key)
        {
            KeyEnd = keyEnd,
            Data = data,
            Verdict = verdict,
            ObjectReference = objectReference,
            Flags = flags is uint value ? (SetElementFlags)value : null,
            Timeout = timeout,
            Expiration = expiration,
            UserData = userData ?? ReadOnlyMemory<byte>.Empty,
            Expressions = expressions,
        });
    }

    private async Task<Verdict?> VerdictAsync(string at)
    {
        if (await NullAsync().ConfigureAwait(false))
        {
            return null;
        }
        EnterItem(at, "a verdict");
        string? kind = null, chain = null;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            switch (property)
            {
                case "kind":
                    kind = await StringAsync().ConfigureAwait(false);
                    break;
                case "chain":
                    chain = await StringAsync().ConfigureAwait(false);
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        if (kind is null)
        {
            throw Bad(at + ".kind", "is missing");
        }
        VerdictKind code = VerdictKindOf(at + ".kind", kind);
        if (chain is not null)
        {
            CheckName(at + ".chain", chain, "chain");
        }
        else if (code is VerdictKind.Jump or VerdictKind.Goto)
        {
            throw Bad(at + ".chain", $"is missing: a {kind} names the chain it goes to");
        }
        return new Verdict(code, chain);
    }

    private async Task RuleAsync(string at, Table table)
    {
        EnterItem(at, "a rule");
        string? chain = null;
        byte[]? userData = null;
        List<NftExpression>? expressions = null;
        while (await PropertyAsync().ConfigureAwait(false) is string property)
        {
            switch (property)
            {
                case "chain":
                    chain = await StringAsync().ConfigureAwait(false);
                    break;
                case "userdata":
                    userData = await UserDataAsync().ConfigureAwait(false);
                    break;
                case "expressions":
                    expressions = await ExpressionsAsync(at + ".expressions").ConfigureAwait(false);
                    _where = at;
                    break;
                default:
                    await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                    break;
            }
            _property = null;
        }
        CheckName(at + ".chain", chain, "chain");
        expressions ??= new List<NftExpression>();
        // NFTA_RULE_EXPRESSIONS is one attribute, and nla_len is 16 bits.
        int size = NetlinkAlignment.AttributeHeaderLength;
        foreach (NftExpression e in expressions)
        {
            size += 2 * NetlinkAlignment.AttributeHeaderLength + NetlinkAlignment.Align(NetlinkAlignment.AttributeHeaderLength + e.Name.Length + 1)
                + NetlinkAlignment.Align(((UnknownExpression)e).Data.Length);
        }
        if (size > ushort.MaxValue)
        {
            throw Bad(at + ".expressions", $"encode to {size} bytes; a rule's expressions fit in {ushort.MaxValue} (nla_len is 16 bits)");
        }
        _visitor.VisitRule(new Rule(table.Family, table.Name, chain!, expressions) { UserData = userData ?? ReadOnlyMemory<byte>.Empty });
    }

    /// <summary>
    /// A list of expressions. Version 2 writes each as a string, <c>"name attributes"</c> (see
    /// <see cref="AttributeText"/>), or <c>"name"</c> alone for one without NFTA_EXPR_DATA;
    /// version 1 wrote <c>{"name": ..., "data": HEX}</c>, which version 2 keeps for names that are
    /// not plain words.
    /// </summary>
    private async Task<List<NftExpression>> ExpressionsAsync(string at)
    {
        await ExpectAsync(JsonTokenType.StartArray, at, "a list of expressions").ConfigureAwait(false);
        var result = new List<NftExpression>();
        for (int i = 0; await _json.ReadAsync(_cancellationToken).ConfigureAwait(false) && _json.TokenType != JsonTokenType.EndArray; i++)
        {
            if (_json.TokenType == JsonTokenType.String)
            {
                result.Add(Expression(at, i, _json.GetUtf8(ref _unescaped)));
                continue;
            }
            string item = $"{at}[{i}]";
            if (_json.TokenType != JsonTokenType.StartObject)
            {
                throw Bad(item, "is neither an expression's text nor an object with its name and data");
            }
            string? name = null;
            byte[]? data = null;
            _where = item;
            while (await PropertyAsync().ConfigureAwait(false) is string property)
            {
                switch (property)
                {
                    case "name":
                        name = await StringAsync().ConfigureAwait(false);
                        break;
                    case "data":
                        await ExpectAsync(JsonTokenType.String, Where, "hex bytes").ConfigureAwait(false);
                        data = Hex(_json.GetUtf8(ref _unescaped), Where);
                        break;
                    default:
                        await _json.SkipAsync(_cancellationToken).ConfigureAwait(false);
                        break;
                }
                _property = null;
            }
            if (string.IsNullOrEmpty(name))
            {
                throw Bad(item + ".name", "is missing");
            }
            CheckExpressionData(item + ".data", data?.Length ?? 0);
            result.Add(new UnknownExpression(name, data ?? ReadOnlySpan<byte>.Empty, hasData: _version == 1 || data is not null));
        }
        return result;
    }

    /// <summary>Expression <paramref name="index"/> of the list at <paramref name="list"/> (the path is built only for a message).</summary>
    private NftExpression Expression(string list, int index, ReadOnlySpan<byte> text)
    {
        int space = text.IndexOf((byte)' ');
        ReadOnlySpan<byte> name = space < 0 ? text : text.Slice(0, space);
        string? nameText = _names.Of(name);
        if (nameText is null)
        {
            throw Bad($"{list}[{index}]", $"{InputText.Quote(System.Text.Encoding.UTF8.GetString(text))} does not start with an expression name (letters, digits, '_', '-', '.')");
        }
        if (space < 0)
        {
            return new UnknownExpression(nameText, ReadOnlySpan<byte>.Empty, hasData: false);
        }
        ReadOnlySpan<byte> data;
        try
        {
            data = AttributeText.Parse(text.Slice(space + 1), _scratch, space + 1);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw Bad($"{list}[{index}]", $"{InputText.Quote(System.Text.Encoding.UTF8.GetString(text))} is not attributes: {e.Message}");
        }
        CheckExpressionData($"{list}[{index}]", data.Length);
        // Raw, whatever the name: the saved attributes go back unchanged.
        return new UnknownExpression(nameText, data, hasData: true);
    }

    private void CheckExpressionData(string at, int length)
    {
        if (length > NetlinkWriter.MaxAttributePayload)
        {
            throw Bad(at, $"holds {length} bytes; an expression's attributes fit in {NetlinkWriter.MaxAttributePayload} (nla_len is 16 bits)");
        }
    }

    /// <summary>
    /// Expression names as shared strings: a document names a handful of expressions tens of
    /// thousands of times. Null for a name that is not a plain word.
    /// </summary>
    private sealed class ExpressionNames
    {
        private readonly List<(byte[] Utf8, string Name)> _seen = new();

        public string? Of(ReadOnlySpan<byte> utf8)
        {
            foreach ((byte[] bytes, string name) in _seen)
            {
                if (utf8.SequenceEqual(bytes))
                {
                    return name;
                }
            }
            string text = System.Text.Encoding.UTF8.GetString(utf8);
            if (!DocumentWriter.IsPlainName(text))
            {
                return null;
            }
            if (_seen.Count < 64)
            {
                _seen.Add((utf8.ToArray(), text));
            }
            return text;
        }
    }

    /// <summary>The bytes that the attribute text from <paramref name="start"/> on describes; the whole text is shown when it is wrong.</summary>
    private ReadOnlySpan<byte> Attributes(ReadOnlySpan<byte> text, int start, string at)
    {
        try
        {
            return AttributeText.Parse(text.Slice(start), _scratch, start);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw Bad(at, $"{InputText.Quote(System.Text.Encoding.UTF8.GetString(text))} is not attributes: {e.Message}");
        }
    }

    // ---- values -------------------------------------------------------------------------------

    /// <summary>Reads the next property name of the current object; null at its end.</summary>
    private async ValueTask<string?> PropertyAsync()
    {
        if (!await _json.ReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            throw Bad(_where, "is cut short: the input ends inside it");
        }
        if (_json.TokenType == JsonTokenType.EndObject)
        {
            return null;
        }
        _property = PropertyNames.Of(_json) ?? "?";
        return _property;
    }

    /// <summary>Reads the next item of the current array: true at a JSON object, false at the array's end.</summary>
    private async ValueTask<bool> NextItemAsync()
    {
        if (!await _json.ReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            throw Bad(Where, "is cut short: the input ends inside it");
        }
        if (_json.TokenType == JsonTokenType.EndArray)
        {
            return false;
        }
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw Bad(Where, $"holds {Describe(_json.TokenType)} where an object belongs");
        }
        return true;
    }

    /// <summary>The reader is at the start of <paramref name="what"/>, found at <paramref name="at"/>.</summary>
    private void EnterItem(string at, string what)
    {
        _where = at;
        _property = null;
        if (_json.TokenType != JsonTokenType.StartObject)
        {
            throw Bad(at, $"is {Describe(_json.TokenType)}, not {what} (a JSON object)");
        }
    }

    private async ValueTask ExpectAsync(JsonTokenType type, string at, string what)
    {
        if (!await _json.ReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            throw Bad(at, "is cut short: the input ends here");
        }
        if (_json.TokenType != type)
        {
            throw Bad(at, $"is {Describe(_json.TokenType)}, not {what}");
        }
    }

    /// <summary>Reads the next value; true (and consumed) when it is null.</summary>
    private async ValueTask<bool> NullAsync()
    {
        if (!await _json.ReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            throw Bad(Where, "is cut short: the input ends here");
        }
        return _json.TokenType == JsonTokenType.Null;
    }

    private async ValueTask<string?> StringAsync()
    {
        if (await NullAsync().ConfigureAwait(false))
        {
            return null;
        }
        if (_json.TokenType != JsonTokenType.String)
        {
            throw Bad(Where, $"is {Describe(_json.TokenType)}, not a string");
        }
        return _json.GetString();
    }

    private async ValueTask<List<string>?> StringsAsync()
    {
        if (await NullAsync().ConfigureAwait(false))
        {
            return null;
        }
        if (_json.TokenType != JsonTokenType.StartArray)
        {
            throw Bad(Where, $"is {Describe(_json.TokenType)}, not a list of strings");
        }
        var result = new List<string>();
        while (await _json.ReadAsync(_cancellationToken).ConfigureAwait(false) && _json.TokenType != JsonTokenType.EndArray)
        {
            if (_json.TokenType != JsonTokenType.String)
            {
                throw Bad(Where, $"holds {Describe(_json.TokenType)} in a list of strings");
            }
            result.Add(_json.GetString());
        }
        return result;
    }

    private async ValueTask<ulong> UnsignedAsync(ulong max)
    {
        await ExpectAsync(JsonTokenType.Number, Where, "a number").ConfigureAwait(false);
        if (!_json.TryGetUInt64(out ulong value) || value > max)
        {
            throw Bad(Where, $"is {Shorten(System.Text.Encoding.UTF8.GetString(_json.RawValue))}, not a whole number from 0 to {max}");
        }
        return value;
    }

    /// <summary>A number that fits a u32 attribute (flags, types, lengths): <see cref="UnsignedAsync"/> up to <see cref="uint.MaxValue"/>.</summary>
    private async ValueTask<uint> UInt32Async() => (uint)await UnsignedAsync(uint.MaxValue).ConfigureAwait(false);

    private async ValueTask<int> SignedAsync()
    {
        await ExpectAsync(JsonTokenType.Number, Where, "a number").ConfigureAwait(false);
        if (!_json.TryGetInt64(out long value) || value is < int.MinValue or > int.MaxValue)
        {
            throw Bad(Where, $"is {Shorten(System.Text.Encoding.UTF8.GetString(_json.RawValue))}, not a whole number from {int.MinValue} to {int.MaxValue}");
        }
        return (int)value;
    }

    private async ValueTask<List<uint>?> UnsignedListAsync()
    {
        if (await NullAsync().ConfigureAwait(false))
        {
            return null;
        }
        if (_json.TokenType != JsonTokenType.StartArray)
        {
            throw Bad(Where, $"is {Describe(_json.TokenType)}, not a list of numbers");
        }
        var result = new List<uint>();
        while (await _json.ReadAsync(_cancellationToken).ConfigureAwait(false) && _json.TokenType != JsonTokenType.EndArray)
        {
            if (!_json.TryGetUInt64(out ulong value) || value > uint.MaxValue)
            {
                throw Bad(Where, "holds something other than whole numbers from 0 to 4294967295");
            }
            result.Add((uint)value);
        }
        return result;
    }

    /// <summary>Userdata in hex, checked against NFT_USERDATA_MAXLEN before it is decoded.</summary>
    private async ValueTask<byte[]?> UserDataAsync()
    {
        if (await NullAsync().ConfigureAwait(false))
        {
            return null;
        }
        if (_json.TokenType != JsonTokenType.String)
        {
            throw Bad(Where, $"is {Describe(_json.TokenType)}, not hex bytes");
        }
        if (_json.RawLength > 2 * UserDataLimit.MaxLength)
        {
            throw Bad(Where, $"holds {_json.RawLength / 2} bytes; the kernel takes at most {UserDataLimit.MaxLength} bytes of userdata (NFT_USERDATA_MAXLEN)");
        }
        return Hex(_json.GetUtf8(ref _unescaped), Where);
    }

    /// <summary>A key or value in hex: 1 to 64 bytes (NFT_DATA_VALUE_MAXLEN), or none where <paramref name="allowEmpty"/>.</summary>
    private async ValueTask<NftData?> DataAsync(bool allowEmpty)
    {
        if (await NullAsync().ConfigureAwait(false))
        {
            return null;
        }
        if (_json.TokenType != JsonTokenType.String)
        {
            throw Bad(Where, $"is {Describe(_json.TokenType)}, not hex bytes");
        }
        int length = _json.RawLength / 2;
        if (length > NftData.MaxLength || (length == 0 && !allowEmpty))
        {
            throw Bad(Where, $"holds {length} bytes; a key or value is 1 to {NftData.MaxLength}");
        }
        return NftData.FromBytes(Hex(_json.GetUtf8(ref _unescaped), Where));
    }

    private byte[] Hex(ReadOnlySpan<byte> text, string at) =>
        AttributeText.TryDecodeHex(text, out byte[] bytes) ? bytes : throw Bad(at, $"{InputText.Quote(System.Text.Encoding.UTF8.GetString(text))} is not hex bytes");

    private NetfilterFamily Family(string at, string? text)
    {
        if (text is null)
        {
            throw Bad(at, "is missing");
        }
        if (NftNames.TryParseFamily(text, out NetfilterFamily family))
        {
            return family;
        }
        // A family nft has no name for is written as its number.
        if (byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out byte number) && number != 0)
        {
            return (NetfilterFamily)number;
        }
        throw Bad(at, $"{InputText.Quote(text)} is not ip, ip6, inet, arp, bridge or netdev");
    }

    private VerdictKind VerdictKindOf(string at, string text)
    {
        if (NftNames.TryParseVerdict(text, out VerdictKind kind))
        {
            return kind;
        }
        // A verdict code nft has no name for is written as its number.
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code))
        {
            return (VerdictKind)code;
        }
        throw Bad(at, $"{InputText.Quote(text)} is not a verdict (accept, drop, continue, return, jump, goto, ...)");
    }

    /// <summary>The library's own rule for names (the one every transaction applies), reported at <paramref name="at"/>.</summary>
    private void CheckName(string at, string? name, string what)
    {
        if (name is null)
        {
            throw Bad(at, "is missing");
        }
        try
        {
            ObjectNames.Check(name, what, "name");
        }
        catch (ArgumentException e)
        {
            throw Bad(at, "is refused: " + WithoutParameter(e.Message));
        }
    }

    private RulesetDocumentException Bad(string at, string problem) => new(at, problem, _json.Line);

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true or false",
        JsonTokenType.Null => "null",
        JsonTokenType.EndObject or JsonTokenType.EndArray => "the end of its container",
        _ => "something else",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";

    private static string WithoutParameter(string message)
    {
        int suffix = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix >= 0 ? message.Substring(0, suffix) : message;
    }

    /// <summary>Utf8JsonReader's message without its position, which counts from a buffer, not from the file (the line is added instead).</summary>
    private static string Sentence(string message)
    {
        int position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position >= 0 ? message.Substring(0, position) : message).TrimEnd();
    }
}
