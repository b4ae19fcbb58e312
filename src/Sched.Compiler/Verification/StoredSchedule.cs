using Sched.Compiler.Lowering;
using Sched.Runtime.Targets;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Verification;

/// <summary>
/// Holds a stored schedule to the program: the tiles (names, memories, sizes, shapes), the outputs and the work each
/// instruction does are derived from the program and the target by placement and lowering; the file supplies only the
/// choices — cycles, units, links, addresses and slots. Anything missing, extra, renamed or resized is a violation that
/// names the file's line.
/// </summary>
public static class StoredSchedule
{
    private const int MaxReported = 50;

    /// <summary>A stored file read against the program: the schedule to verify and its mismatches, or why it cannot be read.</summary>
    public sealed record Checked(Schedule? Schedule, IReadOnlyList<Violation> Mismatches, string? Unreadable);

    /// <summary>
    /// Reads a stored schedule's text against the program (placed and lowered already) and gives the schedule to verify, with
    /// <paramref name="outputs"/> — the program's outputs, their values and symbols computed once by the caller. A file longer
    /// than the program's schedule could be is refused before it is parsed: no work grows with what an attacker adds.
    /// </summary>
    public static Checked Check(Machine machine, LoweredProgram lowered, IReadOnlyList<OutputTensor> outputs, string text, string fileName)
    {
        var most = lowered.Tiles.Count + lowered.Instructions.Count + lowered.Outputs.Count + lowered.Notes.Count + 64;
        var lines = text.AsSpan().Count('\n') + 1;
        if (lines > most || text.Length > (long)most * 1024)
            return new Checked(null, [], $"it holds {lines} lines ({text.Length} characters); the program's schedule has at most {most}");
        Schedule file;
        StoredLines where;
        try
        {
            file = ScheduleText.Read(text, machine, out where);
        }
        catch (InvalidDataException e)
        {
            return new Checked(null, [], e.Message);
        }
        var (schedule, mismatches) = Against(file, where, lowered, fileName);
        return new Checked(schedule with { Outputs = outputs }, mismatches, null);
    }

    /// <summary>
    /// The schedule to verify: the program's tiles at the file's addresses, the program's outputs, the file's instructions.
    /// </summary>
    public static (Schedule Schedule, List<Violation> Mismatches) Against(Schedule file, StoredLines lines, LoweredProgram program,
        string fileName)
    {
        var mismatches = new List<Violation>();
        void Say(int line, long cycle, string message) =>
            mismatches.Add(new Violation(ViolationKind.NotTheProgram, cycle, fileName, message, new SourceLine(line, 1), fileName));
        var tiles = Tiles(file, lines, program, Say);
        Outputs(file, lines, program, Say);
        Instructions(file, lines, program, Say);
        // Like the verifier, say the first 50 and count the rest: an empty file is one mistake, not 19,000 lines.
        if (mismatches.Count > MaxReported)
            mismatches[MaxReported - 1] = mismatches[MaxReported - 1] with
                { Message = $"and {mismatches.Count - MaxReported + 1} more differences from the program" };
        return (file with { Tiles = tiles, Outputs = program.Outputs }, mismatches.Take(MaxReported).ToList());
    }

    private static Tile[] Tiles(Schedule file, StoredLines lines, LoweredProgram program, Action<int, long, string> say)
    {
        var tiles = program.Tiles.ToArray();
        for (var i = 0; i < Math.Max(file.Tiles.Count, tiles.Length); i++)
        {
            if (i >= tiles.Length) { say(lines.Tiles[i], 0, $"tile {i} ({file.Tiles[i].Name}) is not one the program makes"); continue; }
            if (i >= file.Tiles.Count) { say(1, 0, $"the program's tile {i} ({tiles[i].Name}) is missing"); continue; }
            var (want, got) = (tiles[i], file.Tiles[i]);
            if (got with { Address = want.Address, Origin = want.Origin } != want)
                say(lines.Tiles[i], 0, $"tile {i} is {Describe(got)}; the program makes {Describe(want)}");
            tiles[i] = want.WithAddress(got.Address);
        }
        return tiles;
    }

    private static string Describe(Tile t) =>
        $"{t.Name} in {t.Memory} ({t.Bytes} B, {t.Rows}×{t.Cols}{(t.IsView ? $", rows from {t.RowOffset} of tile {t.Parent}" : "")})";

    private static void Outputs(Schedule file, StoredLines lines, LoweredProgram program, Action<int, long, string> say)
    {
        var stored = file.Outputs.Select((o, i) => (Output: o, Line: lines.Outputs[i])).ToList();
        foreach (var want in program.Outputs)
        {
            var found = stored.FindIndex(s => s.Output.Name == want.Name);
            if (found < 0) { say(1, 0, $"the program's output {want.Name} is missing"); continue; }
            var (got, line) = stored[found];
            stored.RemoveAt(found);
            if (got.Rows != want.Rows || got.Cols != want.Cols || !got.Tiles.SequenceEqual(want.Tiles))
                say(line, 0, $"output {got.Name} is {got.Rows}×{got.Cols} in tiles {string.Join(',', got.Tiles)}; the program's is " +
                    $"{want.Rows}×{want.Cols} in tiles {string.Join(',', want.Tiles)}");
        }
        foreach (var (got, line) in stored) say(line, 0, $"output {got.Name} is not one of the program's");
    }

    /// <summary>
    /// The file's instructions are the program's work, each once: op, tiles, bytes and M×K×N (on any unit, link, cycle).
    /// </summary>
    private static void Instructions(Schedule file, StoredLines lines, LoweredProgram program, Action<int, long, string> say)
    {
        var wanted = new Dictionary<string, int>();
        foreach (var ins in program.Instructions) wanted[Key(ins)] = wanted.GetValueOrDefault(Key(ins)) + 1;
        for (var i = 0; i < file.Instructions.Count; i++)
        {
            var key = Key(file.Instructions[i]);
            if (wanted.GetValueOrDefault(key) > 0) wanted[key]--;
            else say(lines.Instructions[i], file.Instructions[i].Cycle,
                $"{Describe(file.Instructions[i], file.Tiles)} is not work the program does" +
                (program.Instructions.Any(p => Key(p) == key) ? " (once more than it does)" : ""));
        }
        foreach (var ins in program.Instructions)
            if (wanted.GetValueOrDefault(Key(ins)) > 0)
            {
                wanted[Key(ins)]--;
                say(1, 0, $"the program's {Describe(ins, program.Tiles)} (line {ins.Source.Line}) is missing");
            }
    }

    private static string Key(Instruction i) =>
        $"{(int)i.Op} {i.Result} {string.Join(',', i.Operands)} {i.Bytes} {i.M} {i.K} {i.N} {(int)i.Dtype}";

    private static string Describe(Instruction i, IReadOnlyList<Tile> tiles) =>
        $"{i.Op.Mnemonic()} of {(i.Result >= 0 && i.Result < tiles.Count ? tiles[i.Result].Name : $"tile #{i.Result}")}" +
        (i.Operands.Length > 1
            ? " from " + string.Join(", ", i.Operands.Select(o => o >= 0 && o < tiles.Count ? tiles[o].Name : $"#{o}"))
            : "");
}
