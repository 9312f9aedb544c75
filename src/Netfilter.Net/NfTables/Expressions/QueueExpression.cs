using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// queue: hands the packet to a user-space program through nfnetlink_queue, on a fixed queue
/// (range) or on the queue number found in a register. Debug text: <c>[ queue num 1-3 bypass fanout ]</c>,
/// <c>[ queue sreg_qnum 1 bypass ]</c>. (Needs CONFIG_NFT_QUEUE in the kernel.)
/// </summary>
public sealed class QueueExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_queue_attributes
    private const ushort AttrNum = 1;      // NFTA_QUEUE_NUM (be16)
    private const ushort AttrTotal = 2;    // NFTA_QUEUE_TOTAL (be16)
    private const ushort AttrFlags = 3;    // NFTA_QUEUE_FLAGS (be16)
    private const ushort AttrSregNum = 4;  // NFTA_QUEUE_SREG_QNUM

    private QueueExpression()
    {
    }

    /// <summary>
    /// Queues to <paramref name="count"/> queues starting at <paramref name="number"/> (nft "queue num 1-3").
    /// nft sends the count (1 for a single queue) and the flags only when some are set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is 0 or the range passes 65535.</exception>
    public static QueueExpression ToQueues(ushort number, ushort count = 1, QueueFlags? flags = null)
    {
        if (count == 0 || number + count - 1 > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "queue: the range number .. number + count - 1 must be within 0..65535 and count at least 1");
        }
        return new QueueExpression { Number = number, Total = count, Flags = flags == QueueFlags.None ? null : flags };
    }

    /// <summary>Queues to the queue number held in <paramref name="source"/> (nft "queue to numgen ...").</summary>
    public static QueueExpression ToRegister(Register source, QueueFlags? flags = null) =>
        new() { SourceNumber = source, Flags = flags == QueueFlags.None ? null : flags };

    /// <summary>NFTA_QUEUE_NUM: the first queue, when present.</summary>
    public ushort? Number { get; private init; }

    /// <summary>NFTA_QUEUE_TOTAL: how many queues, when present.</summary>
    public ushort? Total { get; private init; }

    /// <summary>NFTA_QUEUE_FLAGS, when present.</summary>
    public QueueFlags? Flags { get; private init; }

    /// <summary>NFTA_QUEUE_SREG_QNUM: the register holding the queue number, when present.</summary>
    public Register? SourceNumber { get; private init; }

    /// <inheritdoc />
    public override string Name => "queue";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_queue_build order: NUM, TOTAL, FLAGS, SREG_QNUM.
        if (Number is ushort n) writer.WriteUInt16BigEndian(AttrNum, n);
        if (Total is ushort t) writer.WriteUInt16BigEndian(AttrTotal, t);
        if (Flags is QueueFlags f) writer.WriteUInt16BigEndian(AttrFlags, (ushort)f);
        if (SourceNumber is Register s) writer.WriteUInt32BigEndian(AttrSregNum, s.Raw);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "queue");
        ushort? number = null, total = null;
        QueueFlags? flags = null;
        Register? sreg = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrNum: number = a.GetUInt16BigEndian(); break;
                case AttrTotal: total = a.GetUInt16BigEndian(); break;
                case AttrFlags: flags = (QueueFlags)a.GetUInt16BigEndian(); break;
                case AttrSregNum: sreg = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        return new QueueExpression { Number = number, Total = total, Flags = flags, SourceNumber = sreg };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_expr_queue_snprintf: "num N[-LAST] " when NUM is set (the range only when
        // it spans more than one queue), "sreg_qnum R ", then the flag words.
        if (Number is ushort n)
        {
            builder.Append("num ").Append(n);
            ushort total = Total ?? 0;
            uint last = (uint)(ushort)(n + total - 1);
            if (total != 0 && last != n)
            {
                builder.Append('-').Append(last);
            }
            builder.Append(' ');
        }
        if (SourceNumber is Register s)
        {
            builder.Append("sreg_qnum ").Append(s).Append(' ');
        }
        if (Flags is QueueFlags f)
        {
            if ((f & QueueFlags.Bypass) != 0) builder.Append("bypass ");
            if ((f & QueueFlags.CpuFanout) != 0) builder.Append("fanout ");
        }
    }
}
