using System;
using System.Collections.Generic;
using System.Globalization;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesTransaction
{
    /// <summary>
    /// One operation of a transaction: validated when it is added, written into the batch as one
    /// message (or, for many set elements, several) when the transaction is committed.
    /// </summary>
    internal abstract class Operation
    {
        private string? _description;

        /// <summary>What the operation does, in nft's words: "add rule ip nat pre", "delete set inet t s".</summary>
        public string Description => _description ??= Describe();

        /// <summary>True when the operation adds a rule and asks for its echo (NLM_F_ECHO) to learn the new handle.</summary>
        public virtual bool EchoesHandle => false;

        /// <summary>Writes the operation's message(s) into <paramref name="batch"/>.</summary>
        public abstract void Write(NfnetlinkBatch batch);

        /// <summary>
        /// For rules: the index of the expression whose NFTA_LIST_ELEM contains
        /// <paramref name="offset"/> (bytes from the start of the message, as in
        /// NLMSGERR_ATTR_OFFS); null when the offset is not inside an expression.
        /// </summary>
        public virtual int? ExpressionAt(uint offset) => null;

        /// <summary>For rules: the kernel name of expression <paramref name="index"/>.</summary>
        public virtual string? ExpressionName(int index) => null;

        /// <summary>
        /// The version-dependent kernel features the operation's message uses (of expression
        /// <paramref name="expressionIndex"/> alone when the kernel pointed at one).
        /// </summary>
        public virtual IEnumerable<KernelFeature> Features(int? expressionIndex) => Array.Empty<KernelFeature>();

        /// <summary>
        /// The feature whose absence explains the kernel's refusal of this operation with
        /// <paramref name="errno"/> (the extended ack pointing at <paramref name="offset"/>, inside
        /// expression <paramref name="expressionIndex"/>) on a kernel of version
        /// <paramref name="kernel"/>; null when none does, and the errno stands as it is.
        /// </summary>
        public virtual KernelFeature? MissingFeature(Errno errno, uint? offset, int? expressionIndex, Version kernel)
        {
            foreach (KernelFeature feature in Features(expressionIndex))
            {
                if (feature.ExplainsRefusal(errno, kernel))
                {
                    return feature;
                }
            }
            return null;
        }

        /// <summary>The <see cref="Description"/>.</summary>
        public override string ToString() => Description;

        protected abstract string Describe();
    }

    /// <summary>A message type with the flags nft 1.0.6 sends it with for one command (checked against strace captures in the golden tests).</summary>
    internal readonly record struct Command(byte Type, NetlinkMessageFlags Flags, string Verb);

    /// <summary>NFT_MSG_NEWTABLE / DELTABLE / DESTROYTABLE.</summary>
    internal sealed class TableOperation : Operation
    {
        // nft sends "add table" without NLM_F_CREATE: nf_tables_newtable creates a missing table regardless.
        public static readonly Command Add = new(NfTablesMessageType.NewTable, NetlinkMessageFlags.None, "add");
        public static readonly Command Create = new(NfTablesMessageType.NewTable, NetlinkMessageFlags.Excl, "create");
        public static readonly Command Delete = new(NfTablesMessageType.DelTable, NetlinkMessageFlags.None, "delete");
        public static readonly Command Destroy = new(NfTablesMessageType.DestroyTable, NetlinkMessageFlags.None, "destroy");

        private readonly Table _table;
        private readonly Command _command;

        public TableOperation(Table table, Command command)
        {
            ArgumentNullException.ThrowIfNull(table);
            ObjectNames.Check(table.Name, "table", nameof(table));
            UserDataLimit.Check(table.UserData, "table", nameof(table));
            _table = table;
            _command = command;
        }

        /// <summary>The table (for an in-memory kernel that applies the operation).</summary>
        public Table Table => _table;

        public Command Kind => _command;

        public override void Write(NfnetlinkBatch batch)
        {
            batch.BeginMessage(_command.Type, _command.Flags, _table.Family, this);
            TableCodec.Write(batch.Writer, _table, withFlags: _command.Type == NfTablesMessageType.NewTable);
            batch.EndMessage();
        }

        public override IEnumerable<KernelFeature> Features(int? expressionIndex)
        {
            if (_command.Type == NfTablesMessageType.DestroyTable)
            {
                yield return KernelFeatures.Destroy;
            }
            if (_command.Type == NfTablesMessageType.NewTable)
            {
                if ((_table.Flags & TableFlags.Owner) != 0)
                {
                    yield return KernelFeatures.TableOwner;
                }
                if ((_table.Flags & TableFlags.Persist) != 0)
                {
                    yield return KernelFeatures.TablePersist;
                }
            }
        }

        protected override string Describe() => $"{_command.Verb} table {FamilyNames.Of(_table.Family)} {_table.Name}";
    }

    /// <summary>NFT_MSG_NEWCHAIN / DELCHAIN / DESTROYCHAIN.</summary>
    internal sealed class ChainOperation : Operation
    {
        public static readonly Command Add = new(NfTablesMessageType.NewChain, NetlinkMessageFlags.Create, "add");
        public static readonly Command Create = new(NfTablesMessageType.NewChain, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create");
        public static readonly Command Delete = new(NfTablesMessageType.DelChain, NetlinkMessageFlags.None, "delete");
        public static readonly Command Destroy = new(NfTablesMessageType.DestroyChain, NetlinkMessageFlags.None, "destroy");

        private readonly Chain _chain;
        private readonly Command _command;

        public ChainOperation(Chain chain, Command command)
        {
            ArgumentNullException.ThrowIfNull(chain);
            ObjectNames.Check(chain.Table, "table", nameof(chain));
            ObjectNames.Check(chain.Name, "chain", nameof(chain));
            UserDataLimit.Check(chain.UserData, "chain", nameof(chain));
            _chain = chain;
            _command = command;
        }

        public Chain Chain => _chain;

        public Command Kind => _command;

        public override void Write(NfnetlinkBatch batch)
        {
            batch.BeginMessage(_command.Type, _command.Flags, _chain.Family, this);
            if (_command.Type == NfTablesMessageType.NewChain)
            {
                ChainCodec.Write(batch.Writer, _chain);
            }
            else
            {
                batch.Writer.WriteStringZ(ChainAttribute.Table, _chain.Table);
                batch.Writer.WriteStringZ(ChainAttribute.Name, _chain.Name);
            }
            batch.EndMessage();
        }

        public override IEnumerable<KernelFeature> Features(int? expressionIndex) =>
            _command.Type == NfTablesMessageType.DestroyChain ? new[] { KernelFeatures.Destroy } : Array.Empty<KernelFeature>();

        protected override string Describe() => $"{_command.Verb} chain {FamilyNames.Of(_chain.Family)} {_chain.Table} {_chain.Name}";
    }

    /// <summary>NFT_MSG_NEWRULE: add (append or after a handle), insert (head or before a handle), replace.</summary>
    internal sealed class RuleOperation : Operation
    {
        public static readonly Command Add = new(NfTablesMessageType.NewRule, NetlinkMessageFlags.Create | NetlinkMessageFlags.Append, "add");
        public static readonly Command Insert = new(NfTablesMessageType.NewRule, NetlinkMessageFlags.Create, "insert");
        public static readonly Command Replace = new(NfTablesMessageType.NewRule, NetlinkMessageFlags.Replace, "replace");

        private readonly Rule _rule;
        private readonly Command _command;
        private readonly bool _echo;

        public RuleOperation(Rule rule, Command command, bool echo = true)
        {
            _echo = echo;
            ArgumentNullException.ThrowIfNull(rule);
            ObjectNames.Check(rule.Table, "table", nameof(rule));
            ObjectNames.Check(rule.Chain, "chain", nameof(rule));
            UserDataLimit.Check(rule.UserData, "rule", nameof(rule));
            if (command.Flags.HasFlag(NetlinkMessageFlags.Replace))
            {
                if (rule.Handle == 0)
                {
                    throw new ArgumentException("replacing a rule needs the handle of the rule to replace (Rule.Handle)", nameof(rule));
                }
            }
            else if (rule.Handle != 0)
            {
                // nf_tables_newrule answers a handle without NLM_F_REPLACE with EOPNOTSUPP.
                throw new ArgumentException($"a rule to {command.Verb} must not carry a handle (it has {rule.Handle}): the kernel assigns one. Use ReplaceRule to replace that rule, or 'rule with {{ Handle = 0 }}' to add a copy", nameof(rule));
            }
            _rule = rule;
            _command = command;
        }

        public Rule Rule => _rule;

        public Command Kind => _command;

        public override bool EchoesHandle => _echo;

        public override void Write(NfnetlinkBatch batch)
        {
            // NLM_F_ECHO: the kernel sends the new rule back, with its handle (nft does this only with --echo).
            batch.BeginMessage(_command.Type, _echo ? _command.Flags | NetlinkMessageFlags.Echo : _command.Flags, _rule.Family, this);
            RuleCodec.Write(batch.Writer, _rule);
            batch.EndMessage();
        }

        public override int? ExpressionAt(uint offset)
        {
            // Re-encode the message the same way to find where each expression started; only
            // done for a refused rule, so committing stays free of per-expression bookkeeping.
            using var writer = new NetlinkWriter(1024);
            NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, _command.Type, _command.Flags, 0, _rule.Family);
            var offsets = new List<int>(_rule.Expressions.Count);
            RuleCodec.Write(writer, _rule, offsets, 0);
            writer.EndMessage();
            if (offsets.Count == 0 || offset < offsets[0])
            {
                return null;
            }
            // The NFTA_RULE_EXPRESSIONS header sits right before the first element; past its end
            // (NFTA_RULE_USERDATA, ...) the offset names no expression.
            int listStart = offsets[0] - NetlinkAlignment.AttributeHeaderLength;
            int listEnd = listStart + HostOrder.ReadUInt16(writer.WrittenSpan.Slice(listStart));
            if (offset >= listEnd)
            {
                return null;
            }
            int found = 0;
            for (int i = 1; i < offsets.Count && offsets[i] <= offset; i++)
            {
                found = i;
            }
            return found;
        }

        public override string? ExpressionName(int index) => index >= 0 && index < _rule.Expressions.Count ? _rule.Expressions[index].Name : null;

        public override KernelFeature? MissingFeature(Errno errno, uint? offset, int? expressionIndex, Version kernel) =>
            base.MissingFeature(errno, offset, expressionIndex, kernel)
            // ENOENT at an expression that names nothing else: the kernel has no such expression type.
            ?? (errno == Errno.ENOENT && expressionIndex is int i && i < _rule.Expressions.Count
                && _rule.Expressions[i].RequiredFeature is { AbsentTypeIsEnoent: true } missing ? missing : null);

        public override IEnumerable<KernelFeature> Features(int? expressionIndex)
        {
            for (int i = 0; i < _rule.Expressions.Count; i++)
            {
                if ((expressionIndex is null || expressionIndex == i) && _rule.Expressions[i].RequiredFeature is KernelFeature feature)
                {
                    yield return feature;
                }
            }
        }

        protected override string Describe()
        {
            string text = $"{_command.Verb} rule {FamilyNames.Of(_rule.Family)} {_rule.Table} {_rule.Chain}";
            if (_rule.Handle != 0)
            {
                text += " handle " + _rule.Handle.ToString(CultureInfo.InvariantCulture);
            }
            if (_rule.Position is ulong position)
            {
                text += " position " + position.ToString(CultureInfo.InvariantCulture);
            }
            return text;
        }
    }

    /// <summary>NFT_MSG_DELRULE / DESTROYRULE: one rule by handle, or every rule of a chain or table (flush).</summary>
    internal sealed class RuleDeleteOperation : Operation
    {
        private readonly NetfilterFamily _family;
        private readonly string _table;
        private readonly string? _chain;
        private readonly ulong _handle;
        private readonly byte _type;

        private RuleDeleteOperation(NetfilterFamily family, string table, string? chain, ulong handle, byte type)
        {
            _family = family;
            _table = table;
            _chain = chain;
            _handle = handle;
            _type = type;
        }

        public NetfilterFamily Family => _family;

        public string TableName => _table;

        /// <summary>Null: every chain of the table (flush table).</summary>
        public string? ChainName => _chain;

        /// <summary>0: every rule (flush).</summary>
        public ulong Handle => _handle;

        public bool IsDestroy => _type == NfTablesMessageType.DestroyRule;

        public static RuleDeleteOperation Delete(NetfilterFamily family, string table, string chain, ulong handle, bool destroy)
        {
            ObjectNames.Check(table, "table", nameof(table));
            ObjectNames.Check(chain, "chain", nameof(chain));
            if (handle == 0)
            {
                throw new ArgumentException("a rule is deleted by its handle, and 0 is not one (read it from NfTablesCommitResult.Handles or Rule.Handle)", nameof(handle));
            }
            return new RuleDeleteOperation(family, table, chain, handle, destroy ? NfTablesMessageType.DestroyRule : NfTablesMessageType.DelRule);
        }

        /// <summary>nft "flush chain" / "flush table": NFT_MSG_DELRULE without a handle.</summary>
        public static RuleDeleteOperation Flush(NetfilterFamily family, string table, string? chain) => new(family, table, chain, 0, NfTablesMessageType.DelRule);

        public override void Write(NfnetlinkBatch batch)
        {
            batch.BeginMessage(_type, NetlinkMessageFlags.None, _family, this);
            batch.Writer.WriteStringZ(RuleAttribute.Table, _table);
            if (_chain is not null)
            {
                batch.Writer.WriteStringZ(RuleAttribute.Chain, _chain);
            }
            if (_handle != 0)
            {
                batch.Writer.WriteUInt64BigEndian(RuleAttribute.Handle, _handle);
            }
            batch.EndMessage();
        }

        public override IEnumerable<KernelFeature> Features(int? expressionIndex) =>
            _type == NfTablesMessageType.DestroyRule ? new[] { KernelFeatures.Destroy } : Array.Empty<KernelFeature>();

        protected override string Describe()
        {
            string family = FamilyNames.Of(_family);
            if (_handle == 0)
            {
                return _chain is null ? $"flush table {family} {_table}" : $"flush chain {family} {_table} {_chain}";
            }
            string verb = _type == NfTablesMessageType.DestroyRule ? "destroy" : "delete";
            return $"{verb} rule {family} {_table} {_chain} handle {_handle.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>NFT_MSG_NEWSET / DELSET / DESTROYSET.</summary>
    internal sealed class SetOperation : Operation
    {
        public static readonly Command Add = new(NfTablesMessageType.NewSet, NetlinkMessageFlags.Create, "add");
        public static readonly Command Create = new(NfTablesMessageType.NewSet, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create");
        public static readonly Command Delete = new(NfTablesMessageType.DelSet, NetlinkMessageFlags.None, "delete");
        public static readonly Command Destroy = new(NfTablesMessageType.DestroySet, NetlinkMessageFlags.None, "destroy");

        private readonly Set _set;
        private readonly Command _command;

        public SetOperation(Set set, Command command)
        {
            ArgumentNullException.ThrowIfNull(set);
            ObjectNames.Check(set.Table, "table", nameof(set));
            ObjectNames.Check(set.Name, "set", nameof(set));
            UserDataLimit.Check(set.UserData, "set", nameof(set));
            _set = set;
            _command = command;
        }

        public Set Set => _set;

        public Command Kind => _command;

        public override void Write(NfnetlinkBatch batch)
        {
            batch.BeginMessage(_command.Type, _command.Flags, _set.Family, this);
            if (_command.Type == NfTablesMessageType.NewSet)
            {
                SetCodec.Write(batch.Writer, _set);
            }
            else
            {
                batch.Writer.WriteStringZ(SetAttribute.Table, _set.Table);
                batch.Writer.WriteStringZ(SetAttribute.Name, _set.Name);
            }
            batch.EndMessage();
        }

        public override IEnumerable<KernelFeature> Features(int? expressionIndex) =>
            _command.Type == NfTablesMessageType.DestroySet ? new[] { KernelFeatures.Destroy } : Array.Empty<KernelFeature>();

        protected override string Describe() => $"{_command.Verb} {(_set.IsMap ? "map" : "set")} {FamilyNames.Of(_set.Family)} {_set.Table} {_set.Name}";
    }

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
        public static readonly Command Destroy = new(NfTablesMessageType.DestroySetElement, NetlinkMessageFlags.None, "destroy");
        private static readonly Command FlushCommand = new(NfTablesMessageType.DelSetElement, NetlinkMessageFlags.None, "flush");

        // Start a new message well before the list nest reaches 64 KiB; one element is at most a
        // few hundred bytes (two 64-byte data values, 256 bytes of userdata, an expression). An
        // element takes at least 16 bytes, so a message holds at most 3,840 of them and their
        // 1-based positions (the nests' types, see WriteElement) stay below NLA_TYPE_MASK.
        private const int MaxElementListBytes = 60 * 1024;

        private readonly Set _set;
        private readonly SetElement[] _elements;
        private readonly Command _command;

        public ElementsOperation(Set set, IReadOnlyCollection<SetElement> elements, Command command)
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
            _command = command;
        }

        private ElementsOperation(Set set)
        {
            _set = set;
            _elements = Array.Empty<SetElement>();
            _command = FlushCommand;
        }

        /// <summary>nft "flush set": NFT_MSG_DELSETELEM without an element list.</summary>
        public static ElementsOperation Flush(Set set) => new(set);

        public Set Set => _set;

        /// <summary>Empty for a flush.</summary>
        public IReadOnlyList<SetElement> Elements => _elements;

        public Command Kind => _command;

        public bool IsFlush => _elements.Length == 0;

        public override void Write(NfnetlinkBatch batch)
        {
            int index = 0;
            do
            {
                batch.BeginMessage(_command.Type, _command.Flags, _set.Family, this);
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
                    SetElementCodec.WriteHeader(batch.Writer, _set.Table, _set.Name, _command.Type == NfTablesMessageType.NewSetElement ? _set.Id : null);
                }
                if (_elements.Length > 0)
                {
                    using NetlinkNest nest = batch.Writer.BeginNested(SetElementListAttribute.Elements);
                    int listStart = batch.Writer.Length;
                    ushort position = 0;
                    while (index < _elements.Length && batch.Writer.Length - listStart < MaxElementListBytes)
                    {
                        SetElementCodec.WriteElement(batch.Writer, _elements[index++], ++position, withExpiration: _command.Type == NfTablesMessageType.NewSetElement);
                    }
                }
                batch.EndMessage();
            }
            while (index < _elements.Length);
        }

        public override IEnumerable<KernelFeature> Features(int? expressionIndex)
        {
            if (_command.Type == NfTablesMessageType.DestroySetElement)
            {
                yield return KernelFeatures.Destroy;
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
            return _elements.Length == 0 ? $"flush {set}" : $"{_command.Verb} {_elements.Length.ToString(CultureInfo.InvariantCulture)} element(s) of {set}";
        }
    }
}
