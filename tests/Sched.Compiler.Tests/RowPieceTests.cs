using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Blocks too tall for a unit's buffer are made rows apart, each step storing its rows, against counts made by hand.</summary>
public class RowPieceTests
{
    // x is 2 tiles of 256 × 64 fp32 (64 KiB each), w 2 tiles of 128 × 64 (32 KiB): one matmul block needs 224 KiB of a 96 KiB buffer.
    private const string Source = """
        target T {
            clock 1 GHz;
            tile 64;
            sram   s { capacity = 4 MiB; latency = 2 cycles; }
            matrix mxu { peak = 1 TFLOP/s; latency = 4 cycles; buffer = 96 KiB; }
            link   s <-> mxu { bandwidth = 64 GB/s; latency = 3 cycles; }
        }
        program P on T {
            input  x : fp32[256, 128] in s;
            weight w : fp32[128, 128] in s;
            let y = matmul(x, w);
            let z = silu(y);
            let c = copy(y);
            output z;
            output c;
        }
        """;

    private static CompileResult Compile() =>
        Compilation.Compile(SourceText.From(Source, "rows.sched"), new CompileOptions(Functional: FunctionalMode.On));

    [Test]
    public void Tall_blocks_are_made_in_row_pieces_that_fit_and_give_the_reference_values()
    {
        var compiled = Compile();
        var (machine, s, run) = Checked.Run(compiled);
        // matmul: half the buffer (48 KiB) less the w tile every piece reads (32 KiB) over 768 B a row (512 of x, 256 of y): 21 rows,
        // so 256 rows are 13 pieces a block. silu and copy: 48 KiB over 512 B a row: 96 rows, 3 pieces a block.
        Assert.That(s.Instructions.Count(i => i.Op == Opcode.Matmul), Is.EqualTo(2 * 13));
        Assert.That(s.Instructions.Where(i => i.Op == Opcode.Matmul).Max(i => i.M), Is.EqualTo(21));
        Assert.That(s.Instructions.Count(i => i.Op == Opcode.Silu), Is.EqualTo(2 * 3));
        Assert.That(s.Instructions.Count(i => i.Op == Opcode.Store), Is.EqualTo(2 * 13 + 2 * 3 + 2 * 3));
        // x is read at most once a block and w's tiles once (each kept across its block's pieces); y at most once by silu and once
        // by copy (copy finds silu's pieces of y still held when they fit): never more than that, never less than each byte once.
        var link = machine.LinkIndex("s", "mxu");
        Assert.That(run.Replay.LinkBytes[link], Is.InRange(131_072 + 2 * 32_768 + 131_072, 2 * 131_072 + 2 * 32_768 + 2 * 131_072));
        Assert.That(s.Instructions.Where(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor == "w").Sum(i => i.Bytes),
            Is.EqualTo(2 * 32_768));
    }

    [Test]
    public void A_missing_piece_leaves_its_tile_unwritten()
    {
        var compiled = Compile();
        var s = compiled.Schedule!;
        var piece = s.Instructions.First(i => i.Op == Opcode.Store && s.Tiles[i.Result].IsView && s.Tiles[i.Result].Tensor.StartsWith('y'));
        var forged = s.WithInstructions(s.Instructions.Where(i => !ReferenceEquals(i, piece)).ToList());
        var violations = Runtime.Verification.Verifier.Verify(compiled.Program!.Target.Machine, forged);
        Assert.That(violations.Select(v => v.Kind), Has.Member(ViolationKind.DataNotReady));
        Assert.That(ReferenceChecker.IsValid(compiled.Program!.Target.Machine, forged, out _), Is.False);
    }
}
