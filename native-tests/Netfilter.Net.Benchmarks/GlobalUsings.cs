global using Netfilter.Net.NativeTests.Infrastructure;
