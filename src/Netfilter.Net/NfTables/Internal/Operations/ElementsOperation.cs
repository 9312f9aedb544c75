using System;
using System.Collections.Generic;
using System.Globalization;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables.Internal.Operations;

/// <summary>
/// NFT_MSG_NEWSETELEM / DELSETELEM / DESTROYSETELEM. The element list is one attribute, and
/// nla_len is 16 bits, so many elements are split over several messages (nft splits the same
/// way); they all belong to this one operation.
/// </summary>
internal sealed class ElementsOperation : Operation
{
    public static readonly Command Add = new(NfTablesMessageType.NewSetElement, NetlinkMessageFlags.Create, "add");
    public static readonly Command Create = new(NfTablesMessageType.NewSetElement, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create");
    public static readonly Command Delete = new(NfTablesMessageType.DelSetElement, NetlinkMessageFlags.None, "delete");
    public static readonly Command Destroy = Command.Destroying(NfTablesMessageType.DestroySetElement);
    private static readonly Command FlushCommand = new(NfTablesMessageType.DelSetElement, NetlinkMessageFlags.None, "flush");

    // Start a new message well before the list nest reaches 64 KiB; one element is at most a
    // few hundred bytes (two 64-byte data values, 256 bytes of userdata, an expression). An
    // element takes at least 16 bytes, so a message holds at most 3,840 of them and their
    // 1-based positions (the nests' types, see WriteElement) stay below NLA_TYPE_MASK.
    private const int MaxElementListBytes = 60 * 1024;

    private readonly Set _set;
    private readonly SetElement[] _elements;

    public ElementsOperation(Set set, IReadOnlyCollection<SetElement> elements, Command command)
        : base(command)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(elements);
        ObjectNames.Check(set.Table, "table", nameof(set));
        ObjectNames.Check(set.Name, "set", nameof(set));
        if (elements.Count == 0)
        {
            // Without an element list, NFT_MSG_DELSETELEM flushes the whole set: never send that by accident.
            throw new ArgumentException($"no elements to {command.Verb}" + (command.Type == NfTablesMessageType.DelSetElement ? " (to remove every element, use FlushSet)" : string.Empty), nameof(elements));
        }
        _elements = new SetElement[elements.Count];
        int i = 0;
        foreach (SetElement element in elements)
        {
            _elements[i++] = element ?? throw new ArgumentException($"element {i} is null", nameof(elements));
            if (element.UserData.Length > UserDataLimit.MaxLength)
            {
                UserDataLimit.Check(element.UserData, $"element {i}", nameof(elements));
            }
        }
        _set = set;
    }

    private ElementsOperation(Set set)
        : base(FlushCommand)
    {
        _set = set;
        _elements = Array.Empty<SetElement>();
    }

    /// <summary>nft "flush set": NFT_MSG_DELSETELEM without an element list.</summary>
    public static ElementsOperation Flush(Set set) => new(set);

    public Set Set => _set;

    /// <summary>Empty for a flush.</summary>
    public IReadOnlyList<SetElement> Elements => _elements;

    public bool IsFlush => _elements.Length == 0;

    public override void Write(NfnetlinkBatch batch)
    {
        int index = 0;
        do
        {
            batch.BeginMessage(Kind.Type, Kind.Flags, _set.Family, this);
            if (_elements.Length == 0)
            {
                // nft's flush set goes through libnftnl's nftnl_set_elems_nlmsg_build_payload,
                // which writes the set's name before the table (golden delete-and-flush).
                batch.Writer.WriteStringZ(SetElementListAttribute.Set, _set.Name);
                batch.Writer.WriteStringZ(SetElementListAttribute.Table, _set.Table);
            }
            else
            {
                // NFTA_SET_ELEM_LIST_SET_ID names a set added earlier in the same batch; nft
                // sends it when adding elements, not when deleting them (golden sets-and-elements).
                SetElementCodec.WriteHeader(batch.Writer, _set.Table, _set.Name, Kind.Type == NfTablesMessageType.NewSetElement ? _set.Id : null);
            }
            if (_elements.Length > 0)
            {
                using NetlinkNest nest = batch.Writer.BeginNested(SetElementListAttribute.Elements);
                int listStart = batch.Writer.Length;
                ushort position = 0;
                while (index < _elements.Length && batch.Writer.Length - listStart < MaxElementListBytes)
                {
                    SetElementCodec.WriteElement(batch.Writer, _elements[index++], ++position, withExpiration: Kind.Type == NfTablesMessageType.NewSetElement);
                }
            }
            batch.EndMessage();
        }
        while (index < _elements.Length);
    }

    public override IEnumerable<KernelFeature> Features(int? expressionIndex)
    {
        foreach (KernelFeature feature in base.Features(expressionIndex))
        {
            yield return feature;
        }
        foreach (SetElement element in _elements)
        {
            if (element.Flags is SetElementFlags flags && (flags & SetElementFlags.CatchAll) != 0)
            {
                yield return KernelFeatures.CatchAllElement;
                break;
            }
        }
    }

    protected override string Describe()
    {
        string set = $"{(_set.IsMap ? "map" : "set")} {FamilyNames.Of(_set.Family)} {_set.Table} {_set.Name}";
        return _elements.Length == 0 ? $"flush {set}" : $"{Kind.Verb} {_elements.Length.ToString(CultureInfo.InvariantCulture)} element(s) of {set}";
    }
}
