using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortForwarderService;

// A port forwarder as a .NET service: the forwards live in appsettings.json (section
// "PortForwarder"), a BackgroundService keeps the kernel equal to them through
// NatTable.ApplyAsync, and everything is logged through ILogger. Run it under systemd
// (it answers SIGTERM) or from a terminal; --contentRoot DIR picks another appsettings.json.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
});
builder.Services.Configure<PortForwarderOptions>(builder.Configuration.GetSection("PortForwarder"));
builder.Services.AddHostedService<ForwardReconciler>();
await builder.Build().RunAsync();
