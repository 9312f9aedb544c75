namespace Netfilter.Net.Diagnostics;

/// <summary>How much a <see cref="DoctorFinding"/> matters.</summary>
public enum DoctorSeverity
{
    /// <summary>Worth knowing; nothing is broken by it.</summary>
    Info,

    /// <summary>Something that breaks some connections, or may break them, or is risky (for example a port only some clients can use).</summary>
    Warning,

    /// <summary>Something that stops a forward or redirect from working at all.</summary>
    Error,
}
