using Netfilter.Net.Netlink;

namespace Netfilter.Net.Netfilter;

/// <summary>Writes nfnetlink messages (nlmsghdr + nfgenmsg) and batch framing.</summary>
internal static class NfnetlinkWriter
{
    /// <summary>Begins an nfnetlink message of <paramref name="subsystem"/>/<paramref name="message"/>.</summary>
    public static void BeginMessage(NetlinkWriter writer, NfnlSubsystem subsystem, byte message, NetlinkMessageFlags flags, uint sequence, NetfilterFamily family, ushort resourceId = 0)
    {
        writer.BeginMessage(NfnlMessageType.Make(subsystem, message), flags | NetlinkMessageFlags.Request, sequence);
        new NfGenMsg(family, NfGenMsg.Version0, resourceId).Write(writer);
    }

    /// <summary>
    /// NFNL_MSG_BATCH_BEGIN with res_id = the subsystem (big-endian: golden bytes 00 0a for
    /// nftables). No NLM_F_ACK: kernels before 6.10 never ack batch begin/end, so the engine
    /// waits only for the acks of the messages inside.
    /// </summary>
    /// <remarks>
    /// With <paramref name="generation"/>, the batch carries NFNL_BATCH_GENID and the kernel
    /// refuses it with ERESTART when the ruleset generation is no longer that one.
    /// </remarks>
    public static void BeginBatch(NetlinkWriter writer, uint sequence, NfnlSubsystem subsystem, uint? generation = null)
    {
        writer.BeginMessage(NfnlMessageType.BatchBegin, NetlinkMessageFlags.Request, sequence);
        new NfGenMsg(NetfilterFamily.Unspecified, NfGenMsg.Version0, (ushort)subsystem).Write(writer);
        if (generation is uint genid)
        {
            writer.WriteUInt32BigEndian(BatchGenerationAttribute, genid);
        }
        writer.EndMessage();
    }

    /// <summary>NFNL_BATCH_GENID (uapi nfnetlink.h, enum nfnl_batch_attributes).</summary>
    public const ushort BatchGenerationAttribute = 1;

    /// <summary>NFNL_MSG_BATCH_END; see <see cref="BeginBatch"/>.</summary>
    public static void EndBatch(NetlinkWriter writer, uint sequence, NfnlSubsystem subsystem)
    {
        writer.BeginMessage(NfnlMessageType.BatchEnd, NetlinkMessageFlags.Request, sequence);
        new NfGenMsg(NetfilterFamily.Unspecified, NfGenMsg.Version0, (ushort)subsystem).Write(writer);
        writer.EndMessage();
    }
}
