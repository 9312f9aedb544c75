using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesTransaction
{
    /// <summary>Factories of stateful-object operations (NFT_MSG_NEWOBJ, _DELOBJ, _DESTROYOBJ), written through <see cref="WriterOperation"/>.</summary>
    private static class ObjectOp
    {
        public static Operation Object(NftObject obj, NetlinkMessageFlags flags, string verb)
        {
            ArgumentNullException.ThrowIfNull(obj);
            string description = $"{verb} {TypeName(obj.Type)} {FamilyNames.Of(obj.Family)} {obj.Table} {obj.Name}";
            return new WriterOperation(description, (batch, op) =>
            {
                batch.BeginMessage(NfTablesMessageType.NewObj, flags, obj.Family, op.Description);
                ObjectCodec.Write(batch.Writer, obj);
                batch.EndMessage();
            });
        }

        public static Operation Reference(NetfilterFamily family, string table, NftObjectType type, string? name, ulong handle, byte messageType, string verb)
        {
            ArgumentException.ThrowIfNullOrEmpty(table);
            if (name is null && handle == 0)
            {
                throw new ArgumentException("an object is named by its name or by its (nonzero) handle", nameof(handle));
            }
            if (name is not null && name.Length == 0)
            {
                throw new ArgumentException("the object name is empty", nameof(name));
            }
            string description = $"{verb} {TypeName(type)} {FamilyNames.Of(family)} {table} " + (name ?? $"handle {handle}");
            return new WriterOperation(description, (batch, op) =>
            {
                batch.BeginMessage(messageType, NetlinkMessageFlags.None, family, op.Description);
                ObjectCodec.WriteReference(batch.Writer, table, type, name, handle);
                batch.EndMessage();
            }, messageType == NfTablesMessageType.DestroyObj ? new[] { KernelFeatures.Destroy } : null);
        }

        /// <summary>nft's word for the type, for descriptions: "counter", "ct helper"...</summary>
        public static string TypeName(NftObjectType type) => type switch
        {
            NftObjectType.Counter => "counter",
            NftObjectType.Quota => "quota",
            NftObjectType.CtHelper => "ct helper",
            NftObjectType.Limit => "limit",
            NftObjectType.Connlimit => "connlimit",
            NftObjectType.Tunnel => "tunnel",
            NftObjectType.CtTimeout => "ct timeout",
            NftObjectType.Secmark => "secmark",
            NftObjectType.CtExpectation => "ct expectation",
            NftObjectType.Synproxy => "synproxy",
            _ => $"object type {(uint)type}",
        };
    }
}

public sealed partial class NfTablesTransaction
{
    /// <summary>An operation whose message is written by a delegate (objects and flowtables).</summary>
    internal sealed class WriterOperation : Operation
    {
        private readonly string _description;
        private readonly Action<NfnetlinkBatch, Operation> _write;
        private readonly KernelFeature[] _features;
        private readonly Func<Errno, uint?, KernelFeature?>? _explain;

        /// <param name="description">What the operation does, for errors.</param>
        /// <param name="write">Writes its message.</param>
        /// <param name="features">The version-dependent kernel features the message uses.</param>
        /// <param name="explain">
        /// Explains a refusal (errno, extended-ack offset) as a missing feature regardless of the
        /// kernel's version: a build option the kernel lacks. Null when none can be told apart.
        /// </param>
        public WriterOperation(string description, Action<NfnetlinkBatch, Operation> write, KernelFeature[]? features = null, Func<Errno, uint?, KernelFeature?>? explain = null)
        {
            _description = description;
            _write = write;
            _features = features ?? Array.Empty<KernelFeature>();
            _explain = explain;
        }

        public override void Write(NfnetlinkBatch batch) => _write(batch, this);

        public override IEnumerable<KernelFeature> Features(int? expressionIndex) => _features;

        public override KernelFeature? MissingFeature(Errno errno, uint? offset, int? expressionIndex, Version kernel) =>
            base.MissingFeature(errno, offset, expressionIndex, kernel) ?? _explain?.Invoke(errno, offset);

        protected override string Describe() => _description;
    }
}
