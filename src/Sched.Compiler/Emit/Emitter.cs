using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Sched.Language.Binding;
using Sched.Runtime.Targets;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Sched.Compiler.Emit;

/// <summary>
/// Builds the C# of a compiled program with Roslyn's syntax API: the target's construction, the contracts as
/// lambdas over the measured metrics, and a Main that hands the schedule (a manifest resource) to the runtime.
/// </summary>
public static class Emitter
{
    public const string Namespace = "Sched.Programs";

    /// <summary>The members every generated class has; a class may not share a name with one of them (CS0542).</summary>
    private static readonly string[] Members = ["Main", "Run", "Machine", "Contracts", "ScheduleSha256", "ProgramSha256"];

    /// <summary>The generated class for an assembly: its name, unless that is one of the class's own members (Main.sched).</summary>
    public static string ClassName(string assemblyName) => Members.Contains(assemblyName) ? assemblyName + "Program" : assemblyName;

    /// <param name="scheduleSha256">the SHA-256 of the schedule resource: the assembly refuses any other</param>
    public static CompilationUnitSyntax Emit(BoundProgram program, string assemblyName, string scheduleSha256)
    {
        var className = ClassName(assemblyName);
        var machine = program.Target.Machine;
        var self = IdentifierName(className);
        var host = ParseName("global::Sched.Runtime.Host");

        var main = MethodDeclaration(PredefinedType(Token(SyntaxKind.IntKeyword)), "Main")
            .AddModifiers(Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.StaticKeyword))
            .AddParameterListParameters(Parameter(Identifier("args")).WithType(ParseTypeName("string[]")))
            .WithExpressionBody(ArrowExpressionClause(Call(host, "Main",
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeOfExpression(self), IdentifierName("Assembly")),
                IdentifierName("ScheduleSha256"),
                InvocationExpression(IdentifierName("Machine")),
                InvocationExpression(IdentifierName("Contracts")),
                InvocationExpression(IdentifierName("Phases")), Num(program.Tokens),
                IdentifierName("args"))))
            .WithSemicolonToken(Token(SyntaxKind.SemicolonToken));

        // Run(prior) lets `sched run` and tests replay the schedule in-process and read the result.
        var run = MethodDeclaration(ParseTypeName("global::Sched.Runtime.RunResult"), "Run")
            .AddModifiers(Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.StaticKeyword))
            .AddParameterListParameters(Parameter(Identifier("prior"))
                .WithType(ParseTypeName("global::Sched.Runtime.Verification.Violation[]")))
            .WithExpressionBody(ArrowExpressionClause(Call(host, "Run",
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeOfExpression(self), IdentifierName("Assembly")),
                IdentifierName("ScheduleSha256"),
                InvocationExpression(IdentifierName("Machine")),
                InvocationExpression(IdentifierName("Contracts")), InvocationExpression(IdentifierName("Phases")), Num(program.Tokens),
                IdentifierName("prior"))))
            .WithSemicolonToken(Token(SyntaxKind.SemicolonToken));

        var phases = MethodDeclaration(ParseTypeName("global::Sched.Runtime.Schedules.PhaseLines[]"), "Phases")
            .AddModifiers(Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.StaticKeyword))
            .WithExpressionBody(ArrowExpressionClause(Array("global::Sched.Runtime.Schedules.PhaseLines", program.Phases.Select(p =>
                New("global::Sched.Runtime.Schedules.PhaseLines", Str(p.Name), Num(p.FirstLine), Num(p.LastLine))))))
            .WithSemicolonToken(Token(SyntaxKind.SemicolonToken));

        var machineMethod = MethodDeclaration(ParseTypeName("global::Sched.Runtime.Targets.Machine"), "Machine")
            .AddModifiers(Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.StaticKeyword))
            .WithExpressionBody(ArrowExpressionClause(MachineExpression(machine)))
            .WithSemicolonToken(Token(SyntaxKind.SemicolonToken));

        var contracts = MethodDeclaration(ParseTypeName("global::Sched.Runtime.Verification.Contract[]"), "Contracts")
            .AddModifiers(Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.StaticKeyword))
            .WithExpressionBody(ArrowExpressionClause(Array("global::Sched.Runtime.Verification.Contract",
                program.Asserts.Select(a => ContractExpression(a, program.Tokens)))))
            .WithSemicolonToken(Token(SyntaxKind.SemicolonToken));

        var type = ClassDeclaration(className)
            .AddModifiers(Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.StaticKeyword))
            .AddMembers(Constant("ScheduleSha256", scheduleSha256), Constant("ProgramSha256", ProgramSha256(program)), main, run,
                machineMethod,
                contracts, phases)
            .WithLeadingTrivia(Comment($"// Program {Sanitize(program.Name)} on target {Sanitize(machine.Name)}, generated by sched from " +
                $"{Path.GetFileName(program.Source.FileName)}."), CarriageReturnLineFeed);

        return CompilationUnit()
            .AddMembers(FileScopedNamespaceDeclaration(ParseName(Namespace)).AddMembers(type))
            .WithLeadingTrivia(Comment("// <auto-generated/>"), CarriageReturnLineFeed)
            .NormalizeWhitespace();
    }

    private static FieldDeclarationSyntax Constant(string name, string value) =>
        FieldDeclaration(VariableDeclaration(PredefinedType(Token(SyntaxKind.StringKeyword)))
                .AddVariables(VariableDeclarator(name).WithInitializer(EqualsValueClause(Str(value)))))
            .AddModifiers(Token(SyntaxKind.PublicKeyword), Token(SyntaxKind.ConstKeyword));

    /// <summary>The program an assembly was built from: its source text and its parameters' values.</summary>
    private static string ProgramSha256(BoundProgram program) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        Encoding.UTF8.GetBytes(program.Source.Text + "\n" + string.Join("\n", program.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}")))));

    /// <summary>A C# identifier from a source name: letters, digits and underscores, not starting with a digit.</summary>
    public static string Sanitize(string name)
    {
        var s = new StringBuilder();
        foreach (var c in name) s.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        if (s.Length == 0 || char.IsDigit(s[0])) s.Insert(0, '_');
        var text = s.ToString();
        return SyntaxFacts.GetKeywordKind(text) != SyntaxKind.None ? "@" + text : text;
    }

    private static ExpressionSyntax MachineExpression(Machine m) => New("global::Sched.Runtime.Targets.Machine",
        Str(m.Name), Num(m.ClockHz),
        Array("global::Sched.Runtime.Targets.Kinds.Memory", m.Memories.Select(x =>
            // Every kind is rebuilt from the keyword and values it was declared with, so the emitter knows no kind.
            Call(ParseName("global::Sched.Runtime.Targets.Kinds.MemoryKinds"), "Create", Str(x.Declared.Kind), Str(x.Name),
                Num(x.Declared.ClockHz),
                Array("string", x.Declared.Values.Select(v => Str(v.Name))), Array("double", x.Declared.Values.Select(v =>
                    Num(v.Value)))))),
        Array("global::Sched.Runtime.Targets.ComputeUnit", m.Units.Select(u =>
            New("global::Sched.Runtime.Targets.ComputeUnit", Str(u.Name), Str(u.Pool),
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, ParseName("global::Sched.Runtime.Targets.UnitKind"),
                    IdentifierName(u.Kind.ToString())),
                Num(u.FlopsPerCycle), Num(u.Latency),
                u.DtypePeaks is { } peaks ? Array("double", peaks.Select(p =>
                    Num(p))) : LiteralExpression(SyntaxKind.NullLiteralExpression), Num(u.Buffer), Num(u.ResultBytesPerCycle),
                Num(u.Launch)))),
        Array("global::Sched.Runtime.Targets.Link", m.DeclaredLinks.Select(l =>
            New("global::Sched.Runtime.Targets.Link", Str(l.Name), Str(l.From), Str(l.To), Num(l.BytesPerCycle), Num(l.Latency),
                Num(l.Lanes)))),
        // A network is emitted as its hops; the machine derives its routes and their links again.
        Array("global::Sched.Runtime.Targets.Network", m.Networks.Select(n =>
            New("global::Sched.Runtime.Targets.Network", Str(n.Group), Array("string", n.Memories.Select(Str)),
                Array("string", n.Pools.Select(Str)), Array("global::Sched.Runtime.Targets.Hop", n.Hops.Select(h =>
                    New("global::Sched.Runtime.Targets.Hop", Num(h.From), Num(h.To), Num(h.BytesPerCycle), Num(h.Latency),
                        Num(h.Lanes))))))));

    private static ExpressionSyntax ContractExpression(BoundAssert a, double tokens) => New("global::Sched.Runtime.Verification.Contract",
        Str(a.Text),
        New("global::Sched.Runtime.Schedules.SourceLine", Num(a.Location.Line), Num(a.Location.Column)),
        Lambda(a.Measured, tokens),
        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, ParseName("global::Sched.Runtime.Verification.Comparison"),
            IdentifierName(a.Comparison.ToString())),
        Lambda(a.Promised, tokens),
        Str(a.Unit));

    private static ExpressionSyntax Lambda(BoundMetricExpression e, double tokens) =>
        SimpleLambdaExpression(Parameter(Identifier("m")), Metric(e, tokens));

    private static ExpressionSyntax Metric(BoundMetricExpression e, double tokens) => e switch
    {
        BoundMetricNumber n => Num(n.Value),
        BoundMetricName { Metric: Language.Binding.Metric.Cycles } => CastToDouble(Member("m", "Cycles")),
        BoundMetricName { Metric: Language.Binding.Metric.Bound } => CastToDouble(Member("m", "Bound")),
        BoundMetricName { Metric: Language.Binding.Metric.TokensPerSecond } =>
            ParenthesizedExpression(BinaryExpression(SyntaxKind.DivideExpression, Num(tokens), Member("m", "Seconds"))),
        BoundMetricName => Member("m", "Seconds"),
        BoundMetricPhase p => ParenthesizedExpression(BinaryExpression(SyntaxKind.DivideExpression,
            ParenthesizedExpression(BinaryExpression(SyntaxKind.SubtractExpression, Until(p.First, p.Last),
                p.SinceFirst is { } f ? Until(f, p.SinceLast!.Value) : Num(0.0))), Num(p.Per))),
        BoundMetricOf of => InvocationExpression(Member("m", char.ToUpperInvariant(of.Function[0]) + of.Function[1..]),
            ArgumentList(SeparatedList(of.Components.Select(c => Argument(Str(c)))))),
        BoundMetricNegation neg =>
            PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, ParenthesizedExpression(Metric(neg.Operand, tokens))),
        BoundMetricBinary b => ParenthesizedExpression(BinaryExpression(b.Operator switch
        {
            '+' => SyntaxKind.AddExpression,
            '-' => SyntaxKind.SubtractExpression,
            '*' => SyntaxKind.MultiplyExpression,
            _ => SyntaxKind.DivideExpression,
        }, Metric(b.Left, tokens), Metric(b.Right, tokens))),
        _ => throw new InvalidOperationException($"unexpected {e.GetType().Name}"),
    };

    private static ExpressionSyntax Until(int first, int last) =>
        InvocationExpression(Member("m", "Until"), ArgumentList(SeparatedList([Argument(Num(first)), Argument(Num(last))])));

    private static ExpressionSyntax CastToDouble(ExpressionSyntax e) => CastExpression(PredefinedType(Token(SyntaxKind.DoubleKeyword)), e);
    private static ExpressionSyntax Member(string target, string name) =>
        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(target), IdentifierName(name));

    private static InvocationExpressionSyntax Call(NameSyntax type, string method, params ExpressionSyntax[] args) =>
        InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, type, IdentifierName(method)))
            .AddArgumentListArguments(args.Select(Argument).ToArray());

    private static ObjectCreationExpressionSyntax New(string type, params ExpressionSyntax[] args) =>
        ObjectCreationExpression(ParseTypeName(type)).AddArgumentListArguments(args.Select(Argument).ToArray());

    private static ExpressionSyntax Array(string elementType, IEnumerable<ExpressionSyntax> elements) =>
        ArrayCreationExpression(ArrayType(ParseTypeName(elementType)).AddRankSpecifiers(
                ArrayRankSpecifier(SingletonSeparatedList<ExpressionSyntax>(OmittedArraySizeExpression()))))
            .WithInitializer(InitializerExpression(SyntaxKind.ArrayInitializerExpression, SeparatedList(elements)));

    private static ExpressionSyntax Str(string s) => LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(s));
    private static ExpressionSyntax Num(int v) => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(v));
    private static ExpressionSyntax Num(long v) => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(v));
    private static ExpressionSyntax Num(double v) => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(v));
}
