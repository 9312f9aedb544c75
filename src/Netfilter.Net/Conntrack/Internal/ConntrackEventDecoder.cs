using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// Turns a multicast ctnetlink message into a <see cref="ConntrackEvent"/>. ctnetlink_conntrack_event
/// sends IPCTNL_MSG_CT_DELETE for destroy, IPCTNL_MSG_CT_NEW with NLM_F_CREATE|NLM_F_EXCL for new,
/// and IPCTNL_MSG_CT_NEW without them for update.
/// </summary>
internal static class ConntrackEventDecoder
{
    /// <summary>False for messages that are not conntrack events (another subsystem, an expectation).</summary>
    public static bool TryDecode(in NetlinkMessage message, out ConntrackEvent? value)
    {
        value = null;
        if (NfnlMessageType.SubsystemOf(message.Type) != NfnlSubsystem.Ctnetlink)
        {
            return false;
        }
        ConntrackEventType type;
        switch (NfnlMessageType.MessageOf(message.Type))
        {
            case CtnlMessageType.Delete:
                type = ConntrackEventType.Destroy;
                break;
            case CtnlMessageType.New:
                type = (message.Flags & (NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl)) != 0 ? ConntrackEventType.New : ConntrackEventType.Update;
                break;
            default:
                return false;
        }
        value = ConntrackEvent.ForEntry(type, ConntrackEntryDecoder.Decode(message));
        return true;
    }
}
