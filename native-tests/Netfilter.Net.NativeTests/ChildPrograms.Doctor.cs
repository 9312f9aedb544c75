using Netfilter.Net.Diagnostics;

namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary>child doctor: runs the doctor in the current namespace and prints each finding (first line: "severity code: problem").</summary>
    public static async Task<int> DoctorAsync()
    {
        foreach (DoctorFinding finding in await Doctor.RunAsync(new DoctorOptions()))
        {
            Console.WriteLine(finding);
        }
        return 0;
    }
}
