using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A port forwarder as a .NET service, on Netfilter.Net.Hosting: the rules live in appsettings.json
// (section "Netfilter:Tables:portfwd"), and the hosted reconciler keeps the kernel equal to them:
// applied at start and whenever the file changes, retried with backoff when the kernel refuses,
// removed on shutdown. A change with a bad line is refused whole (the line is named by index) and
// the rules last applied stay. Health (the doctor's findings) is logged each time it changes.
// Run it under systemd (it answers SIGTERM) or from a terminal; --contentRoot DIR picks another
// appsettings.json.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
});

builder.Services.AddNatTable("portfwd", builder.Configuration.GetSection("Netfilter:Tables:portfwd"));
builder.Services.AddNetfilterHealthChecks().AddNetfilterHealthLog();
// Check health every few seconds rather than every 30 s, so the log follows changes quickly.
builder.Services.Configure<HealthCheckPublisherOptions>(o =>
{
    o.Delay = TimeSpan.FromSeconds(1);
    o.Period = TimeSpan.FromSeconds(5);
});

await builder.Build().RunAsync();
