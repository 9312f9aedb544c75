using System;
using System.Collections.Generic;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// Decodes the NFTA_OBJ_DATA payload of an object of one type. Returns null when the payload holds
/// an attribute the decoder does not model, so the caller keeps the object raw
/// (<see cref="UnknownObject"/>) instead of dropping that attribute.
/// </summary>
internal delegate NftObject? ObjectDecoder(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data);

/// <summary>Object type → decoder. Every object file registers itself here.</summary>
internal static class ObjectRegistry
{
    private static readonly Dictionary<NftObjectType, ObjectDecoder> s_decoders = new()
    {
        [NftObjectType.Counter] = CounterObject.Decode,
        [NftObjectType.Quota] = QuotaObject.Decode,
        [NftObjectType.CtHelper] = CtHelperObject.Decode,
        [NftObjectType.Limit] = LimitObject.Decode,
        [NftObjectType.CtTimeout] = CtTimeoutObject.Decode,
        [NftObjectType.Secmark] = SecmarkObject.Decode,
        [NftObjectType.CtExpectation] = CtExpectationObject.Decode,
        [NftObjectType.Synproxy] = SynproxyObject.Decode,
    };

    /// <summary>Decodes an object; unknown types and unknown attributes give an <see cref="UnknownObject"/>.</summary>
    public static NftObject Decode(NetfilterFamily family, string table, string name, NftObjectType type, ReadOnlySpan<byte> data)
    {
        if (s_decoders.TryGetValue(type, out ObjectDecoder? decoder))
        {
            NftObject? decoded = decoder(family, table, name, data);
            if (decoded is not null)
            {
                return decoded;
            }
        }
        return new UnknownObject(family, table, name, type, data);
    }

    /// <summary>True when <paramref name="type"/> has a typed decoder.</summary>
    public static bool IsKnown(NftObjectType type) => s_decoders.ContainsKey(type);
}
