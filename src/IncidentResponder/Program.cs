using System.CommandLine;
using IncidentResponder.Commands;
using IncidentResponder.Incidents;

var root = new RootCommand("incident-responder: a Kubernetes operator that stabilizes first, investigates second, rolls back when in doubt, and records everything.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(CrdsCommand.Create());
#if INCLUDE_SIMULATOR
root.Subcommands.Add(SimCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
#endif
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(PostmortemCommand.Create());
root.Subcommands.Add(HistoryCommand.Create());
root.Subcommands.Add(IncidentCommand.Create(TimeProvider.System));
root.Subcommands.Add(PluginInstallCommand.Create());
return await CommandLineInvocation.InvokeAsync(root, args, Console.Error);
