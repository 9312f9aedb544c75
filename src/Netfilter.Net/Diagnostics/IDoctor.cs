using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Explains why a forward or redirect does not work: what a service's health check or a
/// troubleshooting endpoint calls. <see cref="Doctor"/> implements it by reading the kernel;
/// <c>Netfilter.Net.Testing</c> implements it over its in-memory state with the same checks.
/// </summary>
public interface IDoctor
{
    /// <summary>Examines the namespace and table of <paramref name="options"/>; the findings, errors first, empty when nothing is wrong.</summary>
    /// <exception cref="System.ArgumentException">The table name or the port is not valid.</exception>
    Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(DoctorOptions options, CancellationToken cancellationToken = default);
}
