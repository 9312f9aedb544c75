using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesTransaction
{
    /// <summary>
    /// One operation: writes one or more messages into the batch. Rules record where each
    /// expression starts so an extended-ack offset can name it.
    /// </summary>
    internal sealed class Operation
    {
        public Operation(string description, Action<NfnetlinkBatch, Operation> write, bool isRuleAdd = false)
        {
            Description = description;
            Write = write;
            IsRuleAdd = isRuleAdd;
        }

        public string Description { get; }

        public Action<NfnetlinkBatch, Operation> Write { get; }

        /// <summary>True for add/insert/replace of a rule: the message asks for an echo to learn the handle.</summary>
        public bool IsRuleAdd { get; }

        /// <summary>Offsets (from the message start) of each expression, for rules.</summary>
        public List<int>? ExpressionOffsets { get; set; }

        /// <summary>Names of the expressions, parallel to <see cref="ExpressionOffsets"/>.</summary>
        public List<string>? ExpressionNames { get; set; }
    }

    /// <summary>Factories of operations, one per message kind.</summary>
    private static class Op
    {
        // A NEWSETELEM message's element list is one attribute: nla_len is 16 bits. Start a new
        // message well before that (nft splits the same way).
        private const int MaxElementListBytes = 60 * 1024;

        public static Operation Table(Table table, NetlinkMessageFlags flags, byte type, string verb)
        {
            ArgumentNullException.ThrowIfNull(table);
            string description = $"{verb} table {FamilyNames.Of(table.Family)} {table.Name}";
            return new Operation(description, (batch, op) =>
            {
                batch.BeginMessage(type, flags, table.Family, op.Description);
                TableCodec.Write(batch.Writer, table, withFlags: type == NfTablesMessageType.NewTable);
                batch.EndMessage();
            });
        }

        public static Operation Chain(Chain chain, NetlinkMessageFlags flags, byte type, string verb)
        {
            ArgumentNullException.ThrowIfNull(chain);
            string description = $"{verb} chain {FamilyNames.Of(chain.Family)} {chain.Table} {chain.Name}";
            return new Operation(description, (batch, op) =>
            {
                batch.BeginMessage(type, flags, chain.Family, op.Description);
                if (type == NfTablesMessageType.NewChain)
                {
                    ChainCodec.Write(batch.Writer, chain);
                }
                else
                {
                    batch.Writer.WriteStringZ(Internal.Attributes.ChainAttribute.Table, chain.Table);
                    batch.Writer.WriteStringZ(Internal.Attributes.ChainAttribute.Name, chain.Name);
                }
                batch.EndMessage();
            });
        }

        public static Operation FlushRules(ProtocolFamily family, string table, string? chain)
        {
            ArgumentException.ThrowIfNullOrEmpty(table);
            string description = chain is null ? $"flush table {FamilyNames.Of(family)} {table}" : $"flush chain {FamilyNames.Of(family)} {table} {chain}";
            return new Operation(description, (batch, op) =>
            {
                batch.BeginMessage(NfTablesMessageType.DelRule, NetlinkMessageFlags.None, family, op.Description);
                batch.Writer.WriteStringZ(Internal.Attributes.RuleAttribute.Table, table);
                if (chain is not null)
                {
                    batch.Writer.WriteStringZ(Internal.Attributes.RuleAttribute.Chain, chain);
                }
                batch.EndMessage();
            });
        }

        public static Operation Rule(Rule rule, NetlinkMessageFlags flags, string verb)
        {
            ArgumentNullException.ThrowIfNull(rule);
            string description = $"{verb} rule {FamilyNames.Of(rule.Family)} {rule.Table} {rule.Chain}" + (rule.Handle != 0 ? $" handle {rule.Handle}" : string.Empty);
            return new Operation(description, (batch, op) =>
            {
                int start = batch.Writer.Length;
                batch.BeginMessage(NfTablesMessageType.NewRule, flags | NetlinkMessageFlags.Echo, rule.Family, op.Description);
                op.ExpressionOffsets = new List<int>(rule.Expressions.Count);
                op.ExpressionNames = System.Linq.Enumerable.ToList(System.Linq.Enumerable.Select(rule.Expressions, e => e.Name));
                RuleCodec.Write(batch.Writer, rule, op.ExpressionOffsets, start);
                batch.EndMessage();
            }, isRuleAdd: true);
        }

        public static Operation DeleteRule(ProtocolFamily family, string table, string chain, ulong handle, byte type, string verb)
        {
            ArgumentException.ThrowIfNullOrEmpty(table);
            ArgumentException.ThrowIfNullOrEmpty(chain);
            string description = $"{verb} rule {FamilyNames.Of(family)} {table} {chain} handle {handle}";
            return new Operation(description, (batch, op) =>
            {
                batch.BeginMessage(type, NetlinkMessageFlags.None, family, op.Description);
                batch.Writer.WriteStringZ(Internal.Attributes.RuleAttribute.Table, table);
                batch.Writer.WriteStringZ(Internal.Attributes.RuleAttribute.Chain, chain);
                batch.Writer.WriteUInt64BigEndian(Internal.Attributes.RuleAttribute.Handle, handle);
                batch.EndMessage();
            });
        }

        public static Operation Set(Set set, NetlinkMessageFlags flags, byte type, string verb)
        {
            ArgumentNullException.ThrowIfNull(set);
            string description = $"{verb} set {FamilyNames.Of(set.Family)} {set.Table} {set.Name}";
            return new Operation(description, (batch, op) =>
            {
                batch.BeginMessage(type, flags, set.Family, op.Description);
                if (type == NfTablesMessageType.NewSet)
                {
                    SetCodec.Write(batch.Writer, set);
                }
                else
                {
                    batch.Writer.WriteStringZ(Internal.Attributes.SetAttribute.Table, set.Table);
                    batch.Writer.WriteStringZ(Internal.Attributes.SetAttribute.Name, set.Name);
                }
                batch.EndMessage();
            });
        }

        public static Operation Elements(Set set, IReadOnlyCollection<SetElement> elements, byte type, NetlinkMessageFlags flags, string verb)
        {
            ArgumentNullException.ThrowIfNull(set);
            ArgumentNullException.ThrowIfNull(elements);
            string description = verb == "flush"
                ? $"flush set {FamilyNames.Of(set.Family)} {set.Table} {set.Name}"
                : $"{verb} {elements.Count} element(s) in set {FamilyNames.Of(set.Family)} {set.Table} {set.Name}";
            var list = new List<SetElement>(elements);
            return new Operation(description, (batch, op) =>
            {
                int index = 0;
                do
                {
                    batch.BeginMessage(type, flags, set.Family, op.Description);
                    SetElementCodec.WriteHeader(batch.Writer, set.Table, set.Name, set.Id);
                    if (list.Count > 0)
                    {
                        using NetlinkNest nest = batch.Writer.BeginNested(Internal.Attributes.SetElementListAttribute.Elements);
                        int nestStart = batch.Writer.Length;
                        while (index < list.Count && batch.Writer.Length - nestStart < MaxElementListBytes)
                        {
                            SetElementCodec.WriteElement(batch.Writer, list[index++]);
                        }
                    }
                    batch.EndMessage();
                }
                while (index < list.Count);
            });
        }
    }
}
