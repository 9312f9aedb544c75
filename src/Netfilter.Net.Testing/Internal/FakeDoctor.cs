using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Diagnostics;

namespace Netfilter.Net.Testing.Internal;

/// <summary>The library's doctor (its fact gathering and every check) over a fake namespace.</summary>
internal sealed class FakeDoctor : IDoctor
{
    private readonly FakeNetfilter _kernel;
    private readonly FakeNamespace? _fixed;

    public FakeDoctor(FakeNetfilter kernel, FakeNamespace? fixedNamespace)
    {
        _kernel = kernel;
        _fixed = fixedNamespace;
    }

    public async Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(DoctorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var sources = new FakeDoctorSources(_fixed ?? _kernel.Namespace(options.Namespace));
        return await Doctor.ExamineAsync(options, sources, cancellationToken).ConfigureAwait(false);
    }
}
