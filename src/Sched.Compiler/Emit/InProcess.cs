using System.Reflection;
using System.Runtime.Loader;
using Sched.Runtime;

namespace Sched.Compiler.Emit;

/// <summary>
/// Loads a freshly built program assembly in a collectible context and calls its generated Run(): how `sched run` and the
/// tests replay a schedule without writing files.
/// </summary>
public static class InProcess
{
    public static RunResult Run(CompileResult compiled)
    {
        var context = new AssemblyLoadContext(compiled.AssemblyName, isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(compiled.Assembly!));
            var type = assembly.GetType($"{Emitter.Namespace}.{Emitter.ClassName(compiled.AssemblyName)}", throwOnError: true)!;
            var run = type.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)!;
            return (RunResult)run.Invoke(null, [compiled.Mismatches.ToArray()])!;
        }
        finally
        {
            context.Unload();
        }
    }
}
