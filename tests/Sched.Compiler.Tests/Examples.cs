using Sched.Language.Text;

namespace Sched.Compiler.Tests;

/// <summary>Finds the repository's examples/ from the test's output folder.</summary>
internal static class Examples
{
    public static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchedDsl.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("SchedDsl.sln not found above the tests"), "examples");
        }
    }

    public static SourceText Source(string name)
    {
        var path = Path.Combine(Folder, name);
        return SourceText.From(File.ReadAllText(path), path);
    }

    public static CompileResult Compile(string name, FunctionalMode functional = FunctionalMode.Auto, Dictionary<string, string>? set = null)
    {
        var result = Compilation.Compile(Source(name), new CompileOptions(set, functional));
        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics.Select(d => d.Render())));
        return result;
    }
}
