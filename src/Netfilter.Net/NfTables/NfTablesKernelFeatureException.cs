using System;
using System.Collections.Generic;

namespace Netfilter.Net.NfTables;

/// <summary>
/// The kernel refused an nftables transaction because it lacks a feature the transaction uses:
/// it is older than the release that added the feature, or was built without it. Nothing was
/// applied. <see cref="Feature"/> says which feature, from which kernel release and with which
/// build option; <see cref="RunningKernel"/> is the kernel that refused. The errno and the rest
/// are those of <see cref="NfTablesException"/>.
/// </summary>
/// <remarks>
/// Without this, an older kernel's refusal is a bare EINVAL or EOPNOTSUPP that does not say
/// why: for example <see cref="NfTablesTransaction.DestroyTable"/> on Linux 6.1 is EINVAL,
/// because NFT_MSG_DESTROYTABLE arrived in 6.3. Use the older operation instead (here,
/// <see cref="NfTablesTransaction.DeleteTable"/> after checking that the table exists), or run
/// a newer kernel.
/// </remarks>
public sealed class NfTablesKernelFeatureException : NfTablesException
{
    internal NfTablesKernelFeatureException(Errno errno, string operation, uint sequence, string? kernelMessage, uint? attributeOffset, string detail, int operationIndex, string? operationDescription, int? expressionIndex, string? expressionName, IReadOnlyList<NfTablesFailure> failures, KernelFeature feature, Version runningKernel)
        : base(errno, operation, sequence, kernelMessage, attributeOffset, detail + "; " + Explain(feature, runningKernel), operationIndex, operationDescription, expressionIndex, expressionName, failures)
    {
        Feature = feature;
        RunningKernel = runningKernel;
    }

    /// <summary>The feature the kernel lacks.</summary>
    public KernelFeature Feature { get; }

    /// <summary>The running kernel's release (major.minor), as uname reports it.</summary>
    public Version RunningKernel { get; }

    /// <summary>True when the kernel is older than <see cref="KernelFeature.FirstKernel"/>; false when it is new enough but was built without the feature.</summary>
    public bool KernelTooOld => RunningKernel < Feature.FirstKernel;

    private static string Explain(KernelFeature feature, Version kernel)
    {
        string running = kernel.ToString(2);
        return kernel < feature.FirstKernel
            ? $"this kernel ({running}) is too old: {feature}"
            : $"this kernel ({running}) was built without it: {feature}";
    }
}
