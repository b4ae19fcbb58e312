using Sched.Language.Diagnostics;
using System.CommandLine;
using Sched.Compiler;
using Sched.Runtime;
using Sched.Runtime.Schedules;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched build FILE -o DIR</c>: writes NAME.dll, NAME.runtimeconfig.json and the runtime, so <c>dotnet DIR/NAME.dll</c> runs.
/// </summary>
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
        var emitSchedule = new Option<string?>("--emit-schedule")
            { Description = "also write the schedule's stable text form to this file" };
        var command = new Command("build", "Compile a program to an assembly that replays and verifies its schedule")
            { file, output, set, functional, emitSchedule };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (CommonOptions.Overrides(result.GetValue(set)) is not { } overrides) return ExitCodes.InputDiagnostics;
            if (CommonOptions.Read(path) is not { } source) return ExitCodes.InputDiagnostics;
            var compiled = Compilation.Compile(source, new CompileOptions(overrides, result.GetValue(functional)));
            if (CommonOptions.Report(compiled.Diagnostics) || compiled.Assembly is null) return ExitCodes.InputDiagnostics;

            var dir = result.GetValue(output)!;
            var dll = Path.Combine(dir, compiled.AssemblyName + ".dll");
            try
            {
                Write(dir, compiled, result.GetValue(emitSchedule));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                Console.Error.WriteLine($"{(dir.Length == 0 ? "-o" : dir)}: error SCH{(int)DiagnosticId.CannotReadFile:D4}: " +
                    $"cannot write the build: {e.Message}");
                return ExitCodes.InputDiagnostics;
            }
            Console.WriteLine($"{path}: wrote {dll} ({compiled.Schedule!.Instructions.Count} instructions); run it with: dotnet {dll}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Writes every file into a fresh folder beside the output, then renames each into place: a rename is atomic, so a
    /// concurrent build or a running program never sees a half-written file (a running one keeps the file it opened).
    /// </summary>
    private static void Write(string dir, CompileResult compiled, string? schedulePath)
    {
        if (dir.Length == 0) throw new ArgumentException("the output folder is empty");
        Directory.CreateDirectory(dir);
        var staging = Path.Combine(dir, $".sched-build-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var runtime = typeof(Host).Assembly.Location;
            var files = new Dictionary<string, Action<string>>
            {
                [compiled.AssemblyName + ".dll"] = p => File.WriteAllBytes(p, compiled.Assembly!),
                [compiled.AssemblyName + ".runtimeconfig.json"] = p => File.WriteAllText(p, RuntimeConfig + "\n"),
                [Path.GetFileName(runtime)] = p => File.Copy(runtime, p),
            };
            foreach (var (name, write) in files) write(Path.Combine(staging, name));
            if (schedulePath is not null)
            {
                var text = Path.Combine(staging, "schedule.txt");
                File.WriteAllText(text, ScheduleText.Write(compiled.Program!.Target.Machine, compiled.Schedule!));
                File.Move(text, schedulePath, overwrite: true);
            }
            foreach (var name in files.Keys) File.Move(Path.Combine(staging, name), Path.Combine(dir, name), overwrite: true);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
