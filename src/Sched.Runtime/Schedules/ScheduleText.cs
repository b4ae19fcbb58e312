using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Schedules;

/// <summary>
/// The stable text form of a schedule: a header, one line per tile, per output and per instruction, with
/// units and links by name, so CI can diff and store it and a changed target is checked against it.
/// </summary>
public static class ScheduleText
{
    private const string Magic = "sched-schedule 1";

    public static string Write(Machine machine, Schedule schedule)
    {
        var s = new StringBuilder();
        s.Append(Magic).Append('\n');
        s.Append("program ").Append(schedule.Program).Append('\n');
        s.Append("source ").Append(schedule.SourceFile).Append('\n');
        s.Append(Inv($"bound {schedule.Bound} {schedule.BoundKind}\n"));
        foreach (var note in schedule.Notes) s.Append("note ").Append(note).Append('\n');
        foreach (var t in schedule.Tiles)
            s.Append(Inv($"tile {t.Id} {t.Name} in={t.Memory} address={t.Address} bytes={t.Bytes} rows={t.Rows} cols={t.Cols} "))
                .Append(Inv($"resident={(t.Resident ? 1 : 0)} tensor={t.Tensor} layer={t.Layer} column={t.ColumnOffset} "))
                .Append(Inv($"at={t.Origin.Line}:{t.Origin.Column}"))
                .Append(t.IsView ? Inv($" of={t.Parent} from={t.RowOffset}\n") : "\n");
        foreach (var o in schedule.Outputs)
            s.Append(Inv($"output {o.Name} rows={o.Rows} cols={o.Cols} tiles={string.Join(',', o.Tiles)}\n"));
        foreach (var i in schedule.Instructions)
        {
            var unit = i.Unit >= 0 && i.Unit < machine.Units.Count ? machine.Units[i.Unit].Name : $"#{i.Unit}";
            var link = i.Link < 0 ? "-" : i.Link < machine.Links.Count ? machine.Links[i.Link].Name : $"#{i.Link}";
            s.Append(Inv($"{i.Cycle} {i.Op.Mnemonic()} unit={unit} link={link} reads={string.Join(',', i.Operands)} writes={i.Result} "))
                .Append(Inv($"bytes={i.Bytes} m={i.M} k={i.K} n={i.N} dtype={i.Dtype.Name()}{Args(i)} "))
                .Append(Inv($"at={i.Source.Line}:{i.Source.Column}\n"));
        }
        return s.ToString();
    }

    /// <summary>The first 16 hex digits of the text form's SHA-256: a short name for one exact schedule.</summary>
    public static string Hash(Machine machine, Schedule schedule) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Write(machine, schedule))))[..16];

    /// <summary>
    /// Reads a stored schedule against a (possibly changed) machine. Units and links that the machine no longer
    /// has become out-of-range indices, which the verifier reports as malformed instructions.
    /// </summary>
    public static Schedule Read(string text, Machine machine) => Read(text, machine, out _);

    /// <summary>The same, and the file line of every tile, output and instruction, for messages that point into the file.</summary>
    public static Schedule Read(string text, Machine machine, out StoredLines where)
    {
        var lines = text.Replace("\r", "").Split('\n');
        if (lines.Length == 0 || lines[0] != Magic) throw new InvalidDataException($"line 1: expected '{Magic}'");
        string program = "", source = "", boundKind = "";
        long bound = 0;
        var notes = new List<string>();
        var tiles = new List<Tile>();
        var outputs = new List<OutputTensor>();
        var instructions = new List<Instruction>();
        where = new StoredLines([], [], []);
        for (var n = 1; n < lines.Length; n++)
        {
            var line = lines[n];
            if (line.Length == 0) continue;
            try
            {
                var word = line.Split(' ', 2)[0];
                var rest = line.Length > word.Length ? line[(word.Length + 1)..] : "";
                switch (word)
                {
                    case "program": program = rest; break;
                    case "source": source = rest; break;
                    case "note": notes.Add(rest); break;
                    case "bound":
                        var b = rest.Split(' ', 2);
                        bound = long.Parse(b[0], CultureInfo.InvariantCulture);
                        boundKind = b.Length > 1 ? b[1] : "";
                        break;
                    case "tile":
                    {
                        var f = Fields(rest, out var positional);
                        var at = Source(f["at"]);
                        where.Tiles.Add(n + 1);
                        tiles.Add(new Tile(int.Parse(positional[0], CultureInfo.InvariantCulture), positional[1], f["in"],
                            L(f["address"]), L(f["bytes"]),
                            I(f["rows"]), I(f["cols"]), f["resident"] == "1", f["tensor"], I(f["layer"]), I(f["column"]), at)
                            {
                                Parent = f.TryGetValue("of", out var of) ? I(of) : -1,
                                RowOffset = f.TryGetValue("from", out var r0) ? I(r0) : 0,
                            });
                        break;
                    }
                    case "output":
                    {
                        var f = Fields(rest, out var positional);
                        where.Outputs.Add(n + 1);
                        outputs.Add(new OutputTensor(positional[0], I(f["rows"]), I(f["cols"]), Ids(f["tiles"]), null));
                        break;
                    }
                    default:
                    {
                        var f = Fields(rest, out var positional);
                        var op = Enum.GetValues<Opcode>().First(o => o.Mnemonic() == positional[0]);
                        var unit = IndexOf(machine.Units.Select(u => u.Name), f["unit"]);
                        var link = f["link"] == "-" ? -1 : IndexOf(machine.Links.Select(l => l.Name), f["link"]);
                        if (link == -1 && f["link"] != "-") link = int.MaxValue;
                        where.Instructions.Add(n + 1);
                        instructions.Add(new Instruction(long.Parse(word, CultureInfo.InvariantCulture), op, unit, link, Ids(f["reads"]),
                            I(f["writes"]),
                            L(f["bytes"]), I(f["m"]), I(f["k"]), I(f["n"]), Source(f["at"]),
                            DataTypeFacts.TryParse(f.GetValueOrDefault("dtype", "fp32"),
                                out var dtype) ? dtype : throw new FormatException("dtype")) { Args = Ids(f.GetValueOrDefault("args",
                                    "")) });
                        break;
                    }
                }
            }
            catch (Exception e) when (e is FormatException or KeyNotFoundException or IndexOutOfRangeException or ArgumentException
                or InvalidOperationException or OverflowException)
            {
                throw new InvalidDataException($"line {n + 1}: cannot read '{(line.Length > 80 ? line[..80] + "…" : line)}'");
            }
        }
        if (tiles.Where((t, i) => t.Id != i).Any()) throw new InvalidDataException("tiles must be numbered 0, 1, … in order");
        return new Schedule(program, source, tiles, instructions, outputs, bound, boundKind, notes);
    }

    private static Dictionary<string, string> Fields(string text, out List<string> positional)
    {
        var fields = new Dictionary<string, string>();
        positional = [];
        foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq > 0) fields[part[..eq]] = part[(eq + 1)..];
            else positional.Add(part);
        }
        return fields;
    }

    // A unit the machine lacks gets an index past its end, which the verifier names as malformed.
    private static int IndexOf(IEnumerable<string> names, string name)
    {
        var i = 0;
        foreach (var n in names) { if (n == name) return i; i++; }
        return int.MaxValue;
    }

    // Only operations that take arguments write them, so schedules of the others read as before.
    private static string Args(Instruction i) =>
        i.Args.Length == 0 ? "" : " args=" + string.Join(',', i.Args.Select(a => a.ToString(CultureInfo.InvariantCulture)));

    private static int[] Ids(string text) => text.Length == 0 ? [] : text.Split(',').Select(I).ToArray();
    private static SourceLine Source(string text) => text.Split(':') is [var l, var c] ? new SourceLine(I(l),
        I(c)) : throw new FormatException(text);
    private static int I(string s) => int.Parse(s, CultureInfo.InvariantCulture);
    private static long L(string s) => long.Parse(s, CultureInfo.InvariantCulture);
    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The line of a stored schedule file each tile, output and instruction was read from.</summary>
public sealed record StoredLines(List<int> Tiles, List<int> Outputs, List<int> Instructions);
