using System.CommandLine;
using Sched.Compiler;
using Sched.Runtime;
using Sched.Runtime.Schedules;

namespace Sched.Cli.Commands;

/// <summary><c>sched build FILE -o DIR</c>: writes NAME.dll, NAME.runtimeconfig.json and the runtime, so <c>dotnet DIR/NAME.dll</c> runs.</summary>
internal static class BuildCommand
{
    private const string RuntimeConfig = """
        {
          "runtimeOptions": {
            "tfm": "net10.0",
            "framework": { "name": "Microsoft.NETCore.App", "version": "10.0.0" }
          }
        }
        """;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "the .sched program" };
        var output = new Option<string>("--output", "-o") { Description = "the folder to write the assembly to", Required = true };
        var set = CommonOptions.Set();
        var functional = CommonOptions.Functional();
        var emitSchedule = new Option<string?>("--emit-schedule") { Description = "also write the schedule's stable text form to this file" };
        var command = new Command("build", "Compile a program to an assembly that replays and verifies its schedule") { file, output, set, functional, emitSchedule };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (CommonOptions.Overrides(result.GetValue(set)) is not { } overrides) return ExitCodes.InputDiagnostics;
            if (CommonOptions.Read(path) is not { } source) return ExitCodes.InputDiagnostics;
            var compiled = Compilation.Compile(source, new CompileOptions(overrides, result.GetValue(functional)));
            if (CommonOptions.Report(compiled.Diagnostics) || compiled.Assembly is null) return ExitCodes.InputDiagnostics;

            var dir = result.GetValue(output)!;
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, compiled.AssemblyName + ".dll"), compiled.Assembly);
            File.WriteAllText(Path.Combine(dir, compiled.AssemblyName + ".runtimeconfig.json"), RuntimeConfig + "\n");
            if (result.GetValue(emitSchedule) is { } schedulePath)
                File.WriteAllText(schedulePath, ScheduleText.Write(compiled.Program!.Target.Machine, compiled.Schedule!));
            var runtime = typeof(Host).Assembly.Location;
            File.Copy(runtime, Path.Combine(dir, Path.GetFileName(runtime)), overwrite: true);
            Console.WriteLine($"{path}: wrote {Path.Combine(dir, compiled.AssemblyName + ".dll")} ({compiled.Schedule!.Instructions.Count} instructions); run it with: dotnet {Path.Combine(dir, compiled.AssemblyName + ".dll")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
