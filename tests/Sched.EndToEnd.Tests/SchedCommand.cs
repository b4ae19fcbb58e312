namespace Sched.EndToEnd.Tests;

/// <summary>Runs the `sched` command in-process with captured output, and finds the repository's files.</summary>
internal static class SchedCommand
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchedDsl.sln"))) dir = dir.Parent;
            return dir!.FullName;
        }
    }

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    /// <summary>A file of <paramref name="text"/> named <paramref name="name"/> in a fresh temporary folder.</summary>
    public static string Temp(string name, string text)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"sched-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Console output is process-wide, so tests that call this are [NonParallelizable].</summary>
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try { return (Cli.Program.Main(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(stdout); Console.SetError(stderr); }
    }
}
