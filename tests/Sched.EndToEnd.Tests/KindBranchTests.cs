using System.Text.RegularExpressions;

namespace Sched.EndToEnd.Tests;

/// <summary>
/// Nothing outside the kind classes asks which kind a memory is: no kind flags, no comparison of a kind's name, no
/// test of a kind's type. A technology's rules live in its file under Targets/Kinds, and everything else asks the memory.
/// </summary>
public class KindBranchTests
{
    private const string Kinds = "sram|hbm|dram|flash|fiber|pnm|stacked|cxl";

    private static readonly Regex Branch = new(
        $@"\bIs(Flash|Fiber|Banked|Sram|Dram|Hbm|Pnm|Cxl)\b|\.Kind\s*(==|!=|is)\s*""|(==|!=)\s*""({Kinds})""|case\s+""({Kinds})""" +
        @"|\bis\s+(Sram|Dram|Flash|Fiber|Pnm|Stacked|Cxl)\b|OfType<(Sram|Dram|Flash|Fiber|Pnm|Stacked|Cxl)>",
        RegexOptions.Compiled);

    [Test]
    public void No_code_outside_the_kinds_branches_on_a_memory_kind()
    {
        var src = Path.Combine(SchedCommand.Root, "src");
        var kinds = Path.Combine(src, "Sched.Runtime", "Targets", "Kinds") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(kinds, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => Branch.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(src, x.f)}({x.i + 1}): {x.line.Trim()}").ToList();
        Assert.That(offenders, Is.Empty, string.Join("\n", offenders));
    }

    [Test]
    public void The_check_catches_a_kind_branch()
    {
        Assert.That(Branch.IsMatch("if (memory.IsFlash) return;"), Is.True);
        Assert.That(Branch.IsMatch("if (m.Kind == \"fiber\") return;"), Is.True);
        Assert.That(Branch.IsMatch("var f = memories.OfType<Flash>();"), Is.True);
        Assert.That(Branch.IsMatch("MemoryKinds.Create(\"sram\", name, clock)"), Is.False);
    }
}
