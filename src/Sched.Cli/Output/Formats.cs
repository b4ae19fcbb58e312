using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Sched.Runtime.Verification;

namespace Sched.Cli.Output;

public enum OutputFormat { Human, Json, Sarif, Junit, Github }

/// <summary>Renders verification outcomes for a person or a CI system: human, JSON, SARIF 2.1.0, JUnit XML or GitHub annotations.</summary>
internal static class Formats
{
    public static string Render(OutputFormat format, IReadOnlyList<Outcome> outcomes) => format switch
    {
        OutputFormat.Json => Json(outcomes),
        OutputFormat.Sarif => Sarif(outcomes),
        OutputFormat.Junit => Junit(outcomes),
        OutputFormat.Github => Github(outcomes),
        _ => Human(outcomes),
    };

    private static string Human(IReadOnlyList<Outcome> outcomes)
    {
        var s = new StringBuilder();
        foreach (var o in outcomes)
        {
            foreach (var d in o.Diagnostics) s.AppendLine(d.Render());
            if (o.ReadError is not null) s.AppendLine($"{o.File}: error SCH0004: {o.ReadError}");
            if (o.InternalError is not null) s.AppendLine($"{o.File}: error SCH3999: {o.InternalError}");
            if (o.Run is { } run)
            {
                if (!run.Passed) s.Append(run.Report);
                s.AppendLine($"{o.File}: {(run.Passed ? "verified" : "FAILED")} ({run.Replay.Cycles} cycles, schedule {run.ScheduleHash})");
            }
            else if (o.ExitCode == 0) s.AppendLine($"{o.File}: ok");
            else if (o.InternalError is null) s.AppendLine($"{o.File}: not verified (errors in the input)");
        }
        return s.ToString();
    }

    /// <summary>
    /// The version of the JSON output; schemas/sched-output.schema.json describes it. Raise it when a field changes meaning.
    /// </summary>
    public const int JsonVersion = 1;

    private static string Json(IReadOnlyList<Outcome> outcomes) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("$schema", "https://sched.dev/schemas/sched-output.schema.json");
        w.WriteNumber("version", JsonVersion);
        w.WriteString("tool", $"sched {ToolVersion}");
        w.WriteStartArray("files");
        foreach (var o in outcomes)
        {
            w.WriteStartObject();
            w.WriteString("file", o.File);
            w.WriteString("status", Status(o));
            w.WriteNumber("exitCode", o.ExitCode);
            if (o.Run is { } run)
            {
                w.WriteNumber("cycles", run.Replay.Cycles);
                w.WriteNumber("boundCycles", run.Bound);
                w.WriteString("boundKind", run.BoundKind);
                w.WriteString("schedule", run.ScheduleHash);
                w.WriteString("functional", run.Functional);
                w.WriteStartArray("contracts");
                foreach (var c in run.Contracts) Contract(w, c);
                w.WriteEndArray();
            }
            w.WriteStartArray("findings");
            foreach (var f in o.Findings)
            {
                w.WriteStartObject();
                w.WriteString("id", f.Id);
                w.WriteString("message", f.Message);
                w.WriteNumber("line", f.Line);
                w.WriteNumber("column", f.Column);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void Contract(Utf8JsonWriter w, ContractResult c)
    {
        w.WriteStartObject();
        w.WriteString(c.IsPrediction ? "predict" : "assert", c.Contract.Text);
        w.WriteBoolean("holds", c.Holds);
        w.WriteNumber("measured", c.Measured);
        w.WriteNumber("promised", c.Promised);
        w.WriteString("unit", c.Contract.Unit);
        w.WriteNumber("line", c.Contract.Source.Line);
        w.WriteEndObject();
    }

    private static string Sarif(IReadOnlyList<Outcome> outcomes) => Write(w =>
    {
        var findings = outcomes.SelectMany(o => o.Findings).ToList();
        w.WriteStartObject();
        w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        w.WriteString("version", "2.1.0");
        w.WriteStartArray("runs");
        w.WriteStartObject();
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "sched");
        w.WriteString("version", ToolVersion);
        w.WriteString("informationUri", "https://github.com/sched-dsl/sched");
        w.WriteStartArray("rules");
        foreach (var id in findings.Select(f => f.Id).Distinct().Order(StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteStartObject("shortDescription");
            w.WriteString("text", RuleName(id));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("results");
        foreach (var f in findings)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.Id);
            w.WriteString("level", "error");
            w.WriteStartObject("message");
            w.WriteString("text", f.Message);
            w.WriteEndObject();
            w.WriteStartArray("locations");
            w.WriteStartObject();
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", Uri(f.File));
            w.WriteEndObject();
            w.WriteStartObject("region");
            w.WriteNumber("startLine", f.Line);
            w.WriteNumber("startColumn", f.Column);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static string Junit(IReadOnlyList<Outcome> outcomes)
    {
        var cases = new List<XElement>();
        foreach (var o in outcomes)
        {
            var findings = o.Findings.ToList();
            var verify = new XElement("testcase", new XAttribute("classname", Xml(o.File)), new XAttribute("name", "verify"),
                new XAttribute("time", "0"));
            if (o.ExitCode == ExitCodes.InternalError)
                verify.Add(new XElement("error", new XAttribute("message", Xml(o.InternalError ?? "internal error")),
                    Xml(o.InternalError ?? "")));
            else if (findings.Count > 0)
                verify.Add(new XElement("failure", new XAttribute("message",
                    Xml($"{findings.Count} finding(s); first: {findings[0].Id} {findings[0].Message}")),
                    Xml(string.Join("\n", findings.Select(f => $"{f.File}({f.Line},{f.Column}): {f.Id}: {f.Message}")))));
            cases.Add(verify);
            foreach (var c in o.Run?.Contracts ?? [])
            {
                var contract = new XElement("testcase", new XAttribute("classname", Xml(o.File)), new XAttribute("name",
                    Xml($"assert {c.Contract.Text}")),
                    new XAttribute("time", "0"));
                if (!c.Holds)
                    contract.Add(new XElement("failure", new XAttribute("message",
                        $"measured {c.Show(c.Measured)}, promised {c.Show(c.Promised)} (line {c.Contract.Source.Line})")));
                cases.Add(contract);
            }
        }
        var failures = cases.Count(c => c.Element("failure") is not null);
        var errors = cases.Count(c => c.Element("error") is not null);
        var suite = new XElement("testsuite", new XAttribute("name", "sched verify"), new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures), new XAttribute("errors", errors), cases);
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement("testsuites", new XAttribute("tests", cases.Count), new XAttribute("failures", failures),
                new XAttribute("errors", errors), suite));
        return doc.Declaration + "\n" + doc.Root + "\n";
    }

    private static string Github(IReadOnlyList<Outcome> outcomes)
    {
        var s = new StringBuilder();
        foreach (var o in outcomes)
        {
            foreach (var f in o.Findings)
                s.Append(CultureInfo.InvariantCulture,
                    $"::error file={Escape(f.File, true)},line={f.Line},col={f.Column},title={f.Id}::" +
                    $"{Escape(f.Id + ": " + f.Message, false)}\n");
            if (o.Run is { Passed: true } run) s.Append(CultureInfo.InvariantCulture,
                $"{Escape(o.File, false)}: verified ({run.Replay.Cycles} cycles, schedule {run.ScheduleHash})\n");
        }
        return s.ToString();
    }

    /// <summary>The tool's version, as SARIF consumers expect beside its name.</summary>
    private static string ToolVersion => typeof(Formats).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>A SARIF artifact URI: a relative reference with '/' separators and each segment percent-encoded (space, #, %).</summary>
    private static string Uri(string path)
    {
        var segments = path.Replace('\\', '/').Split('/').Select(System.Uri.EscapeDataString);
        return string.Join('/', segments);
    }

    /// <summary>Text XML can carry: characters XML 1.0 forbids (control characters in a file name) become \uXXXX.</summary>
    private static string Xml(string s)
    {
        if (s.All(System.Xml.XmlConvert.IsXmlChar)) return s;
        var b = new StringBuilder();
        foreach (var c in s) b.Append(System.Xml.XmlConvert.IsXmlChar(c) ? c.ToString() : $"\\u{(int)c:X4}");
        return b.ToString();
    }

    // Workflow commands escape %, CR and LF everywhere, and also : and , in properties.
    private static string Escape(string s, bool property)
    {
        var e = s.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
        return property ? e.Replace(":", "%3A").Replace(",", "%2C") : e;
    }

    private static string Status(Outcome o) => o.ExitCode switch { 0 => o.Run is null ? "checked" : "verified", 1 => "failed",
        2 => "input-errors", _ => "internal-error" };

    private static string RuleName(string id) => id switch
    {
        "SCH3001" => "unit conflict",
        "SCH3002" => "lane conflict",
        "SCH3003" => "data read before it arrives",
        "SCH3004" => "memory over capacity",
        "SCH3005" => "overlapping live addresses",
        "SCH3006" => "contract failed",
        "SCH3007" => "outputs differ from the reference interpreter",
        "SCH3000" => "malformed instruction",
        "SCH3008" => "fibre read off its tap phase",
        "SCH3009" => "bank or die conflict",
        "SCH3010" => "channel or port conflict",
        "SCH3011" => "output does not hold what the program computes",
        "SCH3012" => "tile written twice",
        "SCH3013" => "stored schedule is not the program's",
        "SCH3014" => "schedule resource refused",
        _ => id.StartsWith("SCH0") ? "syntax" : id.StartsWith("SCH1") ? "binding" : id.StartsWith("SCH2") ? "scheduling" : "verification",
    };

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            body(w);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
