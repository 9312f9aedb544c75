using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>Decodes IPCTNL_MSG_EXP_NEW messages (expectation dump replies).</summary>
internal static class ConntrackExpectationDecoder
{
    private const string Context = "ctnetlink expectation";

    public static ConntrackExpectation Decode(in NetlinkMessage message)
    {
        NfGenMsg.Read(message.Payload, Context);
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), Context);
        ConntrackTuple? tuple = null, mask = null, master = null;
        TimeSpan? timeout = null;
        uint? id = null, cls = null;
        string? helper = null, function = null;
        ushort zone = 0;
        uint flags = 0;
        List<ConntrackRawAttribute>? other = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            bool unknown = false;
            switch (a.Type)
            {
                case CtaExpectAttribute.Tuple:
                    tuple = TupleCodec.Decode(a.Payload, TupleContext.ExpectTuple, ref unknown);
                    break;
                case CtaExpectAttribute.Mask:
                    mask = TupleCodec.Decode(a.Payload, TupleContext.ExpectMask, ref unknown);
                    break;
                case CtaExpectAttribute.Master:
                    master = TupleCodec.Decode(a.Payload, TupleContext.ExpectMaster, ref unknown);
                    break;
                case CtaExpectAttribute.Timeout:
                    timeout = TimeSpan.FromSeconds(a.GetUInt32BigEndian());
                    break;
                case CtaExpectAttribute.Id:
                    id = a.GetUInt32BigEndian();
                    break;
                case CtaExpectAttribute.HelperName:
                    helper = a.GetString();
                    break;
                case CtaExpectAttribute.Zone:
                    zone = a.GetUInt16BigEndian();
                    break;
                case CtaExpectAttribute.Flags:
                    flags = a.GetUInt32BigEndian();
                    break;
                case CtaExpectAttribute.Class:
                    cls = a.GetUInt32BigEndian();
                    break;
                case CtaExpectAttribute.Function:
                    function = a.GetString();
                    break;
                default:
                    unknown = true;
                    break;
            }
            if (unknown)
            {
                (other ??= new List<ConntrackRawAttribute>()).Add(new ConntrackRawAttribute(a.Type, a.Payload.ToArray()));
            }
        }
        if (tuple is null)
        {
            throw new NetlinkProtocolException(Context, "a CTA_EXPECT_TUPLE attribute", "none");
        }
        return new ConntrackExpectation(tuple)
        {
            Mask = mask,
            Master = master,
            Timeout = timeout,
            Id = id,
            HelperName = helper,
            Zone = zone,
            Flags = flags,
            Class = cls,
            Function = function,
            OtherAttributes = other is null ? Array.Empty<ConntrackRawAttribute>() : other.ToArray(),
        };
    }
}
