using System.Text.Json.Nodes;
using Json.Schema;

namespace Sched.EndToEnd.Tests;

/// <summary>
/// --format json is described by schemas/sched-output.schema.json: every output validates, and the schema is not vacuous.
/// </summary>
[NonParallelizable]
public class JsonSchemaTests
{
    private static readonly Lazy<JsonSchema> Loaded =
        new(() => JsonSchema.FromFile(Path.Combine(SchedCommand.Root, "schemas", "sched-output.schema.json")));

    private static JsonSchema Schema => Loaded.Value;

    private static EvaluationResults Validate(string json) =>
        Schema.Evaluate(System.Text.Json.JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

    [TestCase("verify", "hello.sched")]
    [TestCase("verify", "multichip.sched")]
    [TestCase("check", "hello.sched")]
    public void The_json_output_validates_against_the_schema(string command, string example)
    {
        var (_, output, error) = SchedCommand.Run(command, SchedCommand.Example(example), "--format", "json", "--functional", "off");
        if (command == "check") (_, output, error) = SchedCommand.Run(command, SchedCommand.Example(example), "--format", "json");
        var result = Validate(output);
        Assert.That(result.IsValid, Is.True, output + error + string.Join("\n", result.Details?.Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
        var root = JsonNode.Parse(output)!;
        Assert.That(root["version"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public void Output_with_diagnostics_validates_too()
    {
        var bad = SchedCommand.Temp("bad.sched", "program P on nvidia.h10 { input x : fp16[1, 4] in hbm; output x; }\n");
        var (exit, output, _) = SchedCommand.Run("verify", bad, "--format", "json");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(Validate(output).IsValid, Is.True, output);
        Assert.That(JsonNode.Parse(output)!["files"]![0]!["findings"]![0]!["id"]!.GetValue<string>(), Is.EqualTo("SCH1010"));
    }

    [TestCase("\"version\": 1", "\"version\": 2", TestName = "another version")]
    [TestCase("\"unit\": \"s\"", "\"unit\": \"seconds\"", TestName = "a unit the schema does not know")]
    [TestCase("\"cycles\": 94", "\"cycles\": \"94\"", TestName = "cycles as a string")]
    public void The_schema_refuses_what_it_does_not_describe(string from, string to)
    {
        var (_, output, _) = SchedCommand.Run("verify", SchedCommand.Example("hello.sched"), "--format", "json");
        Assert.That(output, Does.Contain(from));
        Assert.That(Validate(output.Replace(from, to)).IsValid, Is.False);
    }
}
