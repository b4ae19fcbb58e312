using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sched.Runtime;

namespace Sched.Compiler.Emit;

/// <summary>
/// Compiles the emitted C# with the schedule blob as a manifest resource; deterministic, so the same input gives the same bytes.
/// </summary>
public static class AssemblyBuilder
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return new[] { "System.Private.CoreLib.dll", "System.Runtime.dll" }
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(Path.Combine(framework, f)))
            .Append(MetadataReference.CreateFromFile(typeof(Host).Assembly.Location))
            .ToImmutableArray();
    });

    public static byte[] Build(string assemblyName, CompilationUnitSyntax code, byte[] schedule)
    {
        var tree = CSharpSyntaxTree.Create(code, new CSharpParseOptions(LanguageVersion.Latest), path: assemblyName + ".g.cs");
        var options = new CSharpCompilationOptions(OutputKind.ConsoleApplication,
            optimizationLevel: OptimizationLevel.Release, deterministic: true, nullableContextOptions: NullableContextOptions.Enable);
        var compilation = CSharpCompilation.Create(assemblyName, [tree], References.Value, options);
        using var pe = new MemoryStream();
        var resource = new ResourceDescription(Host.ScheduleResource, () => new MemoryStream(schedule), isPublic: true);
        var result = compilation.Emit(pe, manifestResources: [resource]);
        if (!result.Success)
            throw new InvalidOperationException("the generated C# did not compile: " +
                string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return pe.ToArray();
    }
}
