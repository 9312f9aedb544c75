using System.Buffers.Binary;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>
/// Compares two netlink messages the way they should match: header type and flags, the
/// nfgenmsg, and every attribute (type with its flag bits, payload) recursively into nests,
/// ignoring sequence numbers, port ids and padding bytes (libnetfilter_conntrack leaves
/// padding uninitialized). Differences are reported with the attribute path.
/// </summary>
internal static class NetlinkBytes
{
    public static void AssertSameMessage(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string because)
    {
        var differences = new List<string>();
        NetlinkMessageHeader e = NetlinkMessageHeader.Read(expected);
        NetlinkMessageHeader a = NetlinkMessageHeader.Read(actual);
        if (e.Type != a.Type)
        {
            differences.Add($"nlmsg_type: expected 0x{e.Type:x4}, got 0x{a.Type:x4}");
        }
        if (e.Flags != a.Flags)
        {
            differences.Add($"nlmsg_flags: expected {e.Flags}, got {a.Flags}");
        }
        ReadOnlySpan<byte> ep = expected.Slice(16, (int)e.Length - 16), ap = actual.Slice(16, (int)a.Length - 16);
        if (!ep.Slice(0, 4).SequenceEqual(ap.Slice(0, 4)))
        {
            differences.Add($"nfgenmsg: expected {Convert.ToHexString(ep.Slice(0, 4))}, got {Convert.ToHexString(ap.Slice(0, 4))}");
        }
        Compare(ep.Slice(4), ap.Slice(4), "", differences);
        if (differences.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"messages differ ({because}):\n  " + string.Join("\n  ", differences));
        }
    }

    /// <summary>The attributes of a message, for comparing one attribute of two different requests.</summary>
    public static Dictionary<ushort, byte[]> Attributes(ReadOnlySpan<byte> message)
    {
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(message);
        var result = new Dictionary<ushort, byte[]>();
        var reader = new NetlinkAttributeReader(message.Slice(20, (int)length - 20), "test");
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            result[attribute.Type] = message.Slice(20 + attribute.Offset, 4 + attribute.Payload.Length).ToArray();
        }
        return result;
    }

    public static void AssertSameAttribute(byte[] expected, byte[] actual, string because)
    {
        var differences = new List<string>();
        Compare(expected, actual, "", differences);
        if (differences.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"attributes differ ({because}):\n  " + string.Join("\n  ", differences));
        }
    }

    private static void Compare(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string path, List<string> differences)
    {
        var e = new NetlinkAttributeReader(expected, "expected");
        var a = new NetlinkAttributeReader(actual, "actual");
        int index = 0;
        while (true)
        {
            bool he = e.TryRead(out NetlinkAttribute ea);
            bool ha = a.TryRead(out NetlinkAttribute aa);
            if (!he && !ha)
            {
                return;
            }
            string here = $"{path}/{index}";
            if (he != ha)
            {
                differences.Add($"{here}: expected {(he ? $"attribute type 0x{ea.RawType:x4}" : "no more attributes")}, got {(ha ? $"attribute type 0x{aa.RawType:x4}" : "no more attributes")}");
                return;
            }
            here = $"{path}/0x{ea.RawType:x4}";
            if (ea.RawType != aa.RawType)
            {
                differences.Add($"{path}/{index}: expected type 0x{ea.RawType:x4}, got 0x{aa.RawType:x4}");
            }
            else if (ea.IsNested)
            {
                Compare(ea.Payload, aa.Payload, here, differences);
            }
            else if (!ea.Payload.SequenceEqual(aa.Payload))
            {
                differences.Add($"{here}: expected {Convert.ToHexString(ea.Payload)}, got {Convert.ToHexString(aa.Payload)}");
            }
            index++;
        }
    }
}
