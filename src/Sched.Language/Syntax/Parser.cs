using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using Sched.Language.Diagnostics;
using Sched.Language.Syntax.Generated;
using Sched.Language.Text;

namespace Sched.Language.Syntax;

/// <summary>
/// Drives the ANTLR lexer and parser, turns their errors into diagnostics, and converts the parse tree into
/// our own immutable syntax tree. No ANTLR type leaves this file.
/// </summary>
internal static class Parser
{
    // Nesting deeper than this is not a program a person wrote, and would exhaust the parser's stack.
    private const int MaxNesting = 256;
    private const int MaxSyntaxErrors = 20;
    private const int MaxStatementTokens = 4096;

    public static SyntaxTree Parse(SourceText source)
    {
        var diagnostics = new DiagnosticBag(source);
        var empty = new CompilationUnitSyntax([], [], new TextSpan(0, source.Text.Length));
        if (!CheckNesting(source, diagnostics))
            return new SyntaxTree(source, empty, diagnostics.ToList());

        var lexer = new SchedLexer(new AntlrInputStream(source.Text));
        lexer.RemoveErrorListeners();
        var tokens = new CommonTokenStream(lexer);
        tokens.Fill();
        foreach (var token in tokens.GetTokens().Where(t => t.Type == SchedLexer.ERROR_CHARACTER).Take(MaxSyntaxErrors))
            diagnostics.ReportInvalidCharacter(new TextSpan(token.StartIndex, 1), token.Text);
        if (diagnostics.Count == 0) CheckStatementLength(tokens, diagnostics);
        if (diagnostics.Count > 0)
            return new SyntaxTree(source, empty, diagnostics.ToList());

        var parser = new SchedParser(tokens);
        parser.RemoveErrorListeners();
        parser.AddErrorListener(new ErrorListener(diagnostics, tokens));
        var tree = parser.compilationUnit();
        if (diagnostics.Count > 0)
            return new SyntaxTree(source, empty, diagnostics.ToList());
        return new SyntaxTree(source, Convert.Unit(tree), diagnostics.ToList());
    }

    /// <summary>One statement of thousands of tokens is not a program a person wrote; parsing it would take minutes.</summary>
    private static void CheckStatementLength(CommonTokenStream tokens, DiagnosticBag diagnostics)
    {
        var count = 0;
        foreach (var token in tokens.GetTokens())
        {
            if (token.Channel != TokenConstants.DefaultChannel) continue;
            count = token.Text is ";" or "{" or "}" ? 0 : count + 1;
            if (count > MaxStatementTokens)
            {
                diagnostics.ReportTooLong(TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1), MaxStatementTokens);
                return;
            }
        }
    }

    private static bool CheckNesting(SourceText source, DiagnosticBag diagnostics)
    {
        var depth = 0;
        var text = source.Text;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth = Math.Max(0, depth - 1);
            if (depth > MaxNesting)
            {
                diagnostics.ReportTooDeep(new TextSpan(i, 1), MaxNesting);
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// One error a mistake: after a syntax error, the rest of its statement (to the next ';', '{' or '}') reports nothing more. A word
    /// that starts a statement and is close to a keyword the grammar expects there is named as a misspelt keyword.
    /// </summary>
    private sealed class ErrorListener(DiagnosticBag diagnostics, CommonTokenStream tokens) : BaseErrorListener
    {
        private int _quietUntil = -1;   // token index up to which errors belong to a statement already reported

        public override void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line,
            int charPositionInLine, string msg, RecognitionException e)
        {
            if (diagnostics.Count >= MaxSyntaxErrors || offendingSymbol.TokenIndex <= _quietUntil) return;
            _quietUntil = StatementEnd(offendingSymbol.TokenIndex);
            if (MisspeltKeyword(recognizer, offendingSymbol) is { } misspelt)
            {
                diagnostics.ReportMisspeltKeyword(TextSpan.FromBounds(misspelt.Word.StartIndex, misspelt.Word.StopIndex + 1),
                    misspelt.Word.Text, misspelt.Keyword);
                return;
            }
            var expected = Expected(recognizer, msg);
            if (MissingSemicolon(offendingSymbol, expected) is { } missing)
            {
                diagnostics.ReportMissingToken(missing.At, "';'", missing.After);
                return;
            }
            var at = offendingSymbol.Type == TokenConstants.EOF
                ? new TextSpan(Math.Max(0, offendingSymbol.StartIndex), 0)
                : TextSpan.FromBounds(offendingSymbol.StartIndex, offendingSymbol.StopIndex + 1);
            var found = offendingSymbol.Type == TokenConstants.EOF ? "the end of the file" : $"'{offendingSymbol.Text}'";
            diagnostics.ReportUnexpectedToken(at, found, expected);
        }

        private int StatementEnd(int from)
        {
            for (var i = Math.Max(0, from); i < tokens.Size; i++)
                if (tokens.Get(i).Text is ";" or "{" or "}") return i;
            return int.MaxValue;
        }

        /// <summary>
        /// `wieght w : …` (the word before the offending token) or `porgram P …` (the offending word): a word that starts a statement
        /// or declaration and is near a keyword.
        /// </summary>
        private (IToken Word, string Keyword)? MisspeltKeyword(IRecognizer recognizer, IToken offending)
        {
            var keywords = Enumerable.Range(1, SchedLexer.IDENTIFIER)
                .Select(t => recognizer.Vocabulary.GetLiteralName(t)?.Trim('\''))
                .Where(k => k is { Length: > 1 } && char.IsLetter(k[0])).Select(k => k!).ToList();
            bool StartsStatement(IToken word) => Previous(word.TokenIndex) is not { } before || before.Text is ";" or "{" or "}";
            foreach (var word in new[] { offending, Previous(offending.TokenIndex) })
                if (word is { Type: SchedLexer.IDENTIFIER } && StartsStatement(word)
                    && (word == offending || offending.Type == SchedLexer.IDENTIFIER)
                    && Suggestion.Closest(word.Text, keywords) is { } keyword)
                    return (word, keyword);
            return null;
        }

        /// <summary>A ';' missing at the end of a line is reported where it belongs, after the line's last token.</summary>
        private (TextSpan At, string After)? MissingSemicolon(IToken offending, string expected)
        {
            if (expected != "';'" || Previous(offending.TokenIndex) is not { } last || last.Line >= offending.Line) return null;
            return (new TextSpan(last.StopIndex + 1, 0), last.Text);
        }

        private IToken? Previous(int index)
        {
            for (var i = index - 1; i >= 0; i--)
                if (tokens.Get(i).Channel == TokenConstants.DefaultChannel) return tokens.Get(i);
            return null;
        }

        private static string Expected(IRecognizer recognizer, string antlrMessage)
        {
            if (recognizer is not Antlr4.Runtime.Parser parser) return antlrMessage;
            IntervalSet expected;
            try { expected = parser.GetExpectedTokens(); }
            catch (ArgumentException) { return ""; }
            var names = expected.ToList().Where(t => t > 0).Select(t => parser.Vocabulary.GetDisplayName(t)).Take(8).ToList();
            return names.Count == 0 ? "" : names.Count == 1 ? names[0] : "one of " + string.Join(" ", names);
        }
    }

    /// <summary>Parse tree → syntax tree. Only called on a tree without syntax errors, so every child is present.</summary>
    private static class Convert
    {
        public static CompilationUnitSyntax Unit(SchedParser.CompilationUnitContext c) => new(
            c.declaration().Select(d => d.targetDeclaration()).OfType<SchedParser.TargetDeclarationContext>().Select(Target).ToList(),
            c.declaration().Select(d => d.programDeclaration()).OfType<SchedParser.ProgramDeclarationContext>().Select(Program).ToList(),
            Span(c))
        {
            Uses = c.declaration().Select(d => d.useDeclaration()).OfType<SchedParser.UseDeclarationContext>().Select(u =>
                Qualified(u.name)).ToList(),
        };

        private static TargetDeclarationSyntax Target(SchedParser.TargetDeclarationContext c) =>
            new(Id(c.name), c.targetMember().Select(Member).ToList(), Span(c));

        private static TargetMemberSyntax Member(SchedParser.TargetMemberContext c) => c switch
        {
            SchedParser.SettingMemberContext s => new SettingSyntax(Id(s.name), Expression(s.value), Span(s)),
            SchedParser.ComponentMemberContext m => new ComponentSyntax(Id(m.kind), Id(m.name),
                m.count is null ? null : Expression(m.count), m.property().Select(Property).ToList(), Span(m)),
            SchedParser.LinkMemberContext l => new LinkSyntax(Id(l.from.name), Id(l.to.name), l.arrow.Text == "<->",
                l.property().Select(Property).ToList(), Span(l))
            {
                FromIndex = l.from.index is null ? null : Expression(l.from.index),
                ToIndex = l.to.index is null ? null : Expression(l.to.index),
            },
            SchedParser.TopologyMemberContext t => new TopologySyntax(Id(t.group), Id(t.shape), t.expression().Select(Expression).ToList(),
                t.property().Select(Property).ToList(), Span(t)),
            SchedParser.ChipMemberContext chip => new ChipSyntax(Id(chip.name), Expression(chip.count), Qualified(chip.preset), Span(chip)),
            _ => throw new InvalidOperationException($"unexpected target member {c.GetType().Name}"),
        };

        private static PropertySyntax Property(SchedParser.PropertyContext c) =>
            new(Id(c.name), Expression(c.value), c.dtype is null ? null : Id(c.dtype), Span(c));

        private static ProgramDeclarationSyntax Program(SchedParser.ProgramDeclarationContext c) => new(
            Id(c.name),
            c.parameter().Select(p => new ParameterSyntax(Id(p.name), Expression(p.value), Span(p))).ToList(),
            Qualified(c.target), Block(c.block()), Span(c));

        private static IReadOnlyList<StatementSyntax> Block(SchedParser.BlockContext c) => c.statement().Select(Statement).ToList();

        private static StatementSyntax Statement(SchedParser.StatementContext c) => c switch
        {
            SchedParser.TensorStatementContext t => new TensorDeclarationSyntax(t.kind.Text, Id(t.name),
                new TensorTypeSyntax(Id(t.tensorType().dtype), t.tensorType().expression().Select(Expression).ToList(),
                    Span(t.tensorType())),
                Placement(t.placement()), Span(t))
            {
                Chip = Chip(t.placement()),
                EachChip = t.placement()?.each is { } each ? new TextSpan(each.StartIndex, 1) : null,
            },
            SchedParser.LetStatementContext l => new LetSyntax(Id(l.name), Expression(l.value), Placement(l.placement()), Span(l))
                { Chip = Chip(l.placement()) },
            SchedParser.AssignStatementContext a => new AssignmentSyntax(Id(a.name), Expression(a.value), Placement(a.placement()),
                Span(a)) { Chip = Chip(a.placement()) },
            SchedParser.OutputStatementContext o => new OutputSyntax(Id(o.name), Span(o)),
            SchedParser.ForStatementContext f => new ForSyntax(Id(f.variable), Expression(f.lower), Expression(f.upper),
                Block(f.block()), Span(f)),
            SchedParser.AssertStatementContext a => new AssertSyntax(Expression(a.condition), Span(a)),
            SchedParser.PredictStatementContext p => new PredictSyntax(Expression(p.measured), Expression(p.published), Span(p)),
            SchedParser.RepeatStatementContext r => new RepeatSyntax(Expression(r.count), Block(r.block()), Span(r)),
            SchedParser.LayerAssignStatementContext a => new LayerAssignmentSyntax(Id(a.name), Expression(a.index), Expression(a.value),
                Span(a)),
            SchedParser.PhaseStatementContext p => new PhaseSyntax(Id(p.name), Block(p.block()), Span(p)),
            SchedParser.BlockStatementContext b => new BlockSyntax(Id(b.name), b.IDENTIFIER().Skip(1).Select(i => Id(i.Symbol)).ToList(),
                b.statement().Select(Statement).ToList(), Expression(b.result), Span(b)),
            _ => throw new InvalidOperationException($"unexpected statement {c.GetType().Name}"),
        };

        private static IdentifierSyntax? Placement(SchedParser.PlacementContext? c) => c is null ? null : Id(c.memory);

        private static ExpressionSyntax? Chip(SchedParser.PlacementContext? c) => c?.index is null ? null : Expression(c.index);

        private static ExpressionSyntax Expression(SchedParser.ExpressionContext c) => c switch
        {
            SchedParser.CallExpressionContext call => new CallSyntax(Id(call.callee),
                call.argument().Where(a => a.name is null).Select(a => Expression(a.value)).ToList(),
                call.device is null ? null : Id(call.device), Span(call))
            {
                Settings = call.argument().Where(a => a.name is not null)
                    .Select(a => new NamedArgumentSyntax(Id(a.name), Expression(a.value), Span(a))).ToList(),
                Chip = call.chip is null ? null : Expression(call.chip),
            },
            SchedParser.IndexExpressionContext index => new IndexSyntax(Expression(index.target), Expression(index.index), Span(index)),
            SchedParser.ParenthesizedExpressionContext p => Expression(p.inner),
            SchedParser.NegationExpressionContext n => new UnarySyntax("-", Expression(n.operand), Span(n)),
            SchedParser.BinaryExpressionContext b => new BinarySyntax(Expression(b.left), b.op.Text,
                TextSpan.FromBounds(b.op.StartIndex, b.op.StopIndex + 1), Expression(b.right), Span(b)),
            SchedParser.LiteralExpressionContext l => new LiteralSyntax(l.NUMBER().GetText(),
                l.unit() is { } u ? string.Concat(u.children.Select(ch => ch.GetText())) : null,
                l.unit() is { } us ? Span(us) : default, Span(l)),
            SchedParser.NameExpressionContext n => new NameSyntax(Id(n.IDENTIFIER().Symbol)),
            _ => throw new InvalidOperationException($"unexpected expression {c.GetType().Name}"),
        };

        /// <summary><c>nvidia.h100</c> or <c>flash.nvme-gen5</c> as one name, spanning its parts.</summary>
        private static IdentifierSyntax Qualified(SchedParser.QualifiedNameContext c) =>
            new(string.Concat(c.children.Select(ch => ch.GetText())), Span(c));

        private static IdentifierSyntax Id(IToken token) =>
            new(token.Text, TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1));

        private static TextSpan Span(ParserRuleContext c) =>
            TextSpan.FromBounds(c.Start.StartIndex, Math.Max(c.Start.StartIndex, (c.Stop ?? c.Start).StopIndex + 1));
    }
}
