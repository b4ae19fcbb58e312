using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Sched.Cli.Output;

/// <summary>
/// A self-contained HTML page: its data as JSON, echarts inlined (Web/echarts.min.js, Apache-2.0) and the script that draws it,
/// so a report opens offline and can be attached to a CI run. The JSON is written with System.Text.Json's default encoder, which
/// escapes &lt; and &gt;, so no value can close the script element it sits in.
/// </summary>
internal static class HtmlPage
{
    private static readonly Lazy<string> Echarts = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("echarts.min.js")
            ?? throw new InvalidOperationException("the echarts resource is missing from the sched assembly");
        return new StreamReader(stream).ReadToEnd();
    });

    public static string Write(string title, string body, object data, string script)
    {
        var s = new StringBuilder();
        s.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        s.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n");
        s.Append("<script>").Append(Echarts.Value).Append("</script>\n</head><body>\n");
        s.Append(body);
        s.Append("\n<script>const data = ").Append(JsonSerializer.Serialize(data)).Append(";\n").Append(script).Append("</script>\n");
        s.Append("</body></html>\n");
        return s.ToString();
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
        h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
        table { border-collapse: collapse; } td, th { padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: left; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        .chart { width: 100%; height: 420px; } .ok { color: #1a7f37; } .failed { color: #cf222e; font-weight: bold; }
        code { background: #f4f4f4; padding: 0 3px; }
        """;
}
