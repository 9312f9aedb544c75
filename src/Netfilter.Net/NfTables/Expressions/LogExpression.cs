using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// log: logs the packet to syslog (prefix, level, flags) or to an nflog group (group, snaplen,
/// queue threshold). Debug text: <c>[ log prefix nft:  level 7 tcpseq tcpopt ipopt uid macdecode ]</c>,
/// <c>[ log prefix g group 2 snaplen 100 qthreshold 10 ]</c>. nft sends no level by default; the
/// kernel dumps level 4 (warning) for syslog logging (FORMAT.md 2.7).
/// </summary>
public sealed class LogExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_log_attributes
    private const ushort AttrGroup = 1;      // NFTA_LOG_GROUP (be16)
    private const ushort AttrPrefix = 2;     // NFTA_LOG_PREFIX (string)
    private const ushort AttrSnaplen = 3;    // NFTA_LOG_SNAPLEN (be32)
    private const ushort AttrQthreshold = 4; // NFTA_LOG_QTHRESHOLD (be16)
    private const ushort AttrLevel = 5;      // NFTA_LOG_LEVEL (be32)
    private const ushort AttrFlags = 6;      // NFTA_LOG_FLAGS (be32)

    /// <summary>NF_LOG_PREFIXLEN: the prefix buffer, NUL included.</summary>
    public const int MaxPrefixLength = 127;

    private readonly string? _prefix;

    /// <summary>A log expression; set the properties that apply (all optional).</summary>
    public LogExpression()
    {
    }

    // Decoding keeps the prefix the kernel sent without the length check.
    private LogExpression(string? prefix) => _prefix = prefix;

    /// <summary>NFTA_LOG_PREFIX: text in front of the log line, at most 127 bytes.</summary>
    public string? Prefix
    {
        get => _prefix;
        init
        {
            if (value is not null && Encoding.UTF8.GetByteCount(value) > MaxPrefixLength)
            {
                throw new ArgumentException($"a log prefix holds at most {MaxPrefixLength} bytes (NF_LOG_PREFIXLEN - 1)", nameof(value));
            }
            _prefix = value;
        }
    }

    /// <summary>NFTA_LOG_GROUP: the nflog group (logging goes to nfnetlink_log instead of syslog).</summary>
    public ushort? Group { get; init; }

    /// <summary>NFTA_LOG_SNAPLEN: bytes of the packet copied to nflog.</summary>
    public uint? SnapLength { get; init; }

    /// <summary>NFTA_LOG_QTHRESHOLD: packets queued in the kernel before nflog sends them.</summary>
    public ushort? QueueThreshold { get; init; }

    /// <summary>NFTA_LOG_LEVEL: the syslog level.</summary>
    public LogLevel? Level { get; init; }

    /// <summary>NFTA_LOG_FLAGS.</summary>
    public LogFlags? Flags { get; init; }

    /// <inheritdoc />
    public override string Name => "log";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_log_build order: PREFIX, GROUP, SNAPLEN, QTHRESHOLD, LEVEL, FLAGS.
        if (_prefix is not null) writer.WriteStringZ(AttrPrefix, _prefix);
        if (Group is ushort g) writer.WriteUInt16BigEndian(AttrGroup, g);
        if (SnapLength is uint s) writer.WriteUInt32BigEndian(AttrSnaplen, s);
        if (QueueThreshold is ushort q) writer.WriteUInt16BigEndian(AttrQthreshold, q);
        if (Level is LogLevel l) writer.WriteUInt32BigEndian(AttrLevel, (uint)l);
        if (Flags is LogFlags f) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "log");
        string? prefix = null;
        ushort? group = null, qthreshold = null;
        uint? snaplen = null, level = null, flags = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrGroup: group = a.GetUInt16BigEndian(); break;
                case AttrPrefix: prefix = a.GetString(); break;
                case AttrSnaplen: snaplen = a.GetUInt32BigEndian(); break;
                case AttrQthreshold: qthreshold = a.GetUInt16BigEndian(); break;
                case AttrLevel: level = a.GetUInt32BigEndian(); break;
                case AttrFlags: flags = a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        // The kernel never dumps a prefix longer than NF_LOG_PREFIXLEN; keep whatever came.
        return new LogExpression(prefix)
        {
            Group = group,
            SnapLength = snaplen,
            QueueThreshold = qthreshold,
            Level = (LogLevel?)level,
            Flags = (LogFlags?)flags,
        };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_expr_log_snprintf: the prefix verbatim; with a group, group/snaplen/
        // qthreshold (0 when absent) and nothing else; otherwise level and flag words.
        var c = CultureInfo.InvariantCulture;
        if (_prefix is not null)
        {
            builder.Append("prefix ").Append(_prefix).Append(' ');
        }
        if (Group is ushort g)
        {
            builder.Append(c, $"group {g} snaplen {SnapLength ?? 0} qthreshold {QueueThreshold ?? 0} ");
            return;
        }
        if (Level is LogLevel l)
        {
            builder.Append("level ").Append(((uint)l).ToString(c)).Append(' ');
        }
        if (Flags is LogFlags f)
        {
            if ((f & LogFlags.TcpSequence) != 0) builder.Append("tcpseq ");
            if ((f & LogFlags.TcpOptions) != 0) builder.Append("tcpopt ");
            if ((f & LogFlags.IPOptions) != 0) builder.Append("ipopt ");
            if ((f & LogFlags.SocketUid) != 0) builder.Append("uid ");
            if ((f & LogFlags.MacDecode) != 0) builder.Append("macdecode ");
        }
    }
}
