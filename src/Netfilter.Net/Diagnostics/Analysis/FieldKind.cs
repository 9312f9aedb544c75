namespace Netfilter.Net.Diagnostics;

/// <summary>What a register holds, as far as the analysis of a rule tells fields apart (<see cref="RuleAnalyzer"/>).</summary>
internal enum FieldKind
{
    Unknown,
    L4Proto,
    DestinationPort,
    NfProto,
    EtherType,
    InputInterfaceName,
    OutputInterfaceName,
    CtState,
    CtStatus,
    Other,
}
