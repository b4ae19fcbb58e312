using Sched.Language.Binding;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Compiler.Lowering;

/// <summary>
/// The steps a collective over the chips of a group lowers to, column block by column block: adds and copies, each on the chip
/// that receives its result. Lowering runs the steps on tiles; the reference and symbolic interpreters run the same steps on
/// values, so a schedule's sums are added in the order the program's are. Values 0 .. chips × blocks − 1 are the parts (chip k's
/// block j is k × blocks + j); each step makes the next value. <see cref="Final"/> says which value each chip ends with, block by
/// block of the result.
/// <para>Ring (NCCL's algorithm, bandwidth-optimal): an all-reduce is a reduce-scatter — block j's sum starts on chip j mod n and
/// passes round the ring, each chip adding its part — then an all-gather of the sums, n − 1 rounds each; every chip sends
/// 2(n − 1)/n of the tensor. A broadcast passes the tensor round the ring from its chip. Direct: the parts go to chip 0 (for a
/// reduce-scatter, block j's to chip j mod n), which adds them in chip order and sends the sum to every chip; a broadcast sends
/// from its chip to each (fewer rounds for tensors of fewer blocks than chips, the only choice without one-hop neighbours).</para>
/// </summary>
public sealed class CollectivePlan
{
    public enum Algorithm { Ring, Direct, Tree, HalvingDoubling }

    /// <summary>One step: an add of values A and B, or a copy of A (B = −1), on chip Chip, for result block Block.</summary>
    public readonly record struct Step(Opcode Op, int Chip, int Block, int A, int B);

    private readonly List<Step> _steps = [];

    private CollectivePlan(CollectiveKind kind, int chips, int blocks, Algorithm algorithm, int resultBlocks)
    {
        (Kind, Chips, Blocks, Chosen) = (kind, chips, blocks, algorithm);
        Final = new int[chips, resultBlocks];
        Owners = new int[resultBlocks];
    }

    public CollectiveKind Kind { get; }
    public string Name => BoundCollective.Names.First(n => n.Value == Kind).Key;

    /// <summary>For a reduce-scatter, the chip that ends with each block of the sum.</summary>
    public int[] Owners { get; }
    public int Chips { get; }
    public int Blocks { get; }
    public Algorithm Chosen { get; }
    public IReadOnlyList<Step> Steps => _steps;
    public int[,] Final { get; }

    private int Part(int chip, int block) => chip * Blocks + block;

    private int Add(Opcode op, int chip, int block, int a, int b = -1)
    {
        _steps.Add(new Step(op, chip, block, a, b));
        return Chips * Blocks + _steps.Count - 1;
    }

    /// <summary>
    /// A sum of fewer blocks than chips (over more than two chips) goes by a binomial tree: log2 n rounds up and down instead of
    /// n − 1, for small tensors where rounds cost more than bytes. It depends on sizes alone, so the interpreters pick it too.
    /// </summary>
    public static bool ByTree(bool reduces, int chips, int blocks) => reduces && chips > 2 && blocks < chips;

    /// <summary>
    /// A tree for small sums (<see cref="ByTree"/>); else ring if every chip reaches the next in one hop and (for a sum) there are at
    /// least as many blocks as chips; else, for a sum over a power of two of chips (four or more), recursive halving and doubling
    /// (Rabenseifner's: the ring's bytes in 2 log2 n rounds, for chips a ring does not join in one hop — behind a switch, fully
    /// connected, across a torus); else direct.
    /// </summary>
    public static Algorithm Choose(Machine machine, IReadOnlyList<Chip> chips, int blocks, bool reduces)
    {
        if (ByTree(reduces, chips.Count, blocks)) return Algorithm.Tree;
        var units = machine.Units.ToLookup(u => u.Pool, u => u.Name);
        bool OneHop(int k) => units[chips[(k + 1) % chips.Count].Pool].All(u =>
            machine.LinkIndex(chips[k].Memory, u) is var l and >= 0 && machine.Links[l].Route.Count <= 1);
        var ring = chips.Count > 1 && Enumerable.Range(0, chips.Count).All(OneHop);
        if (ring && (!reduces || blocks >= chips.Count)) return Algorithm.Ring;
        return reduces && chips.Count >= 4 && int.IsPow2(chips.Count) && blocks >= chips.Count ? Algorithm.HalvingDoubling
            : Algorithm.Direct;
    }

    /// <summary>Whether a sum is added as a balanced tree over the chips (tree, halving) or from part j mod n on (ring, direct).</summary>
    public bool SumsByTree => Chosen is Algorithm.Tree or Algorithm.HalvingDoubling;

    /// <summary>An all-reduce, or with <paramref name="scatter"/> only its first half: each block's sum stays on its owner.</summary>
    public static CollectivePlan AllReduce(int chips, int blocks, Algorithm algorithm, bool scatter = false)
    {
        var plan = new CollectivePlan(scatter ? CollectiveKind.ReduceScatter : CollectiveKind.AllReduce, chips, blocks, algorithm, blocks);
        var n = chips;
        if (algorithm == Algorithm.Tree) return plan.Tree(scatter);
        if (algorithm == Algorithm.HalvingDoubling) return plan.HalvingDoubling(scatter);
        // Reduce: block j's parts are added in one order whatever the algorithm — from part j mod n on — so the sum's value does
        // not depend on the chips' links. Round the ring, in round s the running sum moves from chip (j + s − 1) mod n to
        // (j + s) mod n; direct, every part goes to the owner, chip (j + n − 1) mod n, which adds them there.
        var running = new int[blocks];
        for (var j = 0; j < blocks; j++)
        {
            plan.Owners[j] = (j + n - 1) % n;
            running[j] = plan.Part(j % n, j);
        }
        for (var s = 1; s < n; s++)
            for (var j = 0; j < blocks; j++)
            {
                var chip = algorithm == Algorithm.Ring ? (j + s) % n : plan.Owners[j];
                running[j] = plan.Add(Opcode.Add, chip, j, running[j], plan.Part((j + s) % n, j));
            }
        for (var j = 0; j < blocks; j++)
            for (var k = 0; k < n; k++) plan.Final[k, j] = running[j];
        if (!scatter) plan.Spread(blocks, algorithm);
        return plan;
    }

    /// <summary>
    /// Binomial tree: in the round of stride s (1, 2, 4, …) chip k, a multiple of 2s, adds chip k + s's running sum to its own; the
    /// sum ends on chip 0 and goes back down the same tree (chip k + s copies from chip k, widest stride first).
    /// </summary>
    private CollectivePlan Tree(bool scatter)
    {
        var running = new int[Chips, Blocks];
        for (var k = 0; k < Chips; k++)
            for (var j = 0; j < Blocks; j++) running[k, j] = Part(k, j);
        for (var stride = 1; stride < Chips; stride *= 2)
            for (var k = 0; k + stride < Chips; k += 2 * stride)
                for (var j = 0; j < Blocks; j++) running[k, j] = Add(Opcode.Add, k, j, running[k, j], running[k + stride, j]);
        for (var j = 0; j < Blocks; j++)
            for (var k = 0; k < Chips; k++) Final[k, j] = running[0, j];
        if (scatter) return this;
        var top = 1;
        while (top * 2 < Chips) top *= 2;
        for (var stride = top; stride >= 1; stride /= 2)
            for (var k = 0; k + stride < Chips; k += 2 * stride)
                for (var j = 0; j < Blocks; j++) Final[k + stride, j] = Add(Opcode.Copy, k + stride, j, Final[k, j]);
        return this;
    }

    /// <summary>
    /// Recursive halving, then doubling (n a power of two; block j's owner is chip j mod n). Halving: in the round of distance d
    /// (1, 2, 4, …) chip k keeps the blocks whose owner agrees with it on the bits below 2d and adds chip k ^ d's running sums of
    /// them, so each round sends half what the last did and block j's sum ends on its owner. The lower chip's sum is always the
    /// first operand, so every block is added in the binomial tree's order, operand for operand (<see cref="Tree"/>): the
    /// interpreters take the tree's steps for its values. Doubling: widest distance first, each holder of a finished block
    /// copies it to its partner until every chip has it.
    /// </summary>
    private CollectivePlan HalvingDoubling(bool scatter)
    {
        var running = new int[Chips, Blocks];
        for (var k = 0; k < Chips; k++)
            for (var j = 0; j < Blocks; j++) running[k, j] = Part(k, j);
        for (var d = 1; d < Chips; d *= 2)
        {
            var next = (int[,])running.Clone();
            for (var k = 0; k < Chips; k++)
                for (var j = 0; j < Blocks; j++)
                {
                    if ((((j % Chips) ^ k) & (2 * d - 1)) != 0) continue;
                    var partner = k ^ d;
                    var (low, high) = k < partner ? (running[k, j], running[partner, j]) : (running[partner, j], running[k, j]);
                    next[k, j] = Add(Opcode.Add, k, j, low, high);
                }
            running = next;
        }
        for (var j = 0; j < Blocks; j++)
        {
            Owners[j] = j % Chips;
            for (var k = 0; k < Chips; k++) Final[k, j] = scatter || k == Owners[j] ? running[Owners[j], j] : -1;
        }
        if (scatter) return this;
        for (var d = Chips / 2; d >= 1; d /= 2)
            for (var k = 0; k < Chips; k++)
                for (var j = 0; j < Blocks; j++)
                    if (Final[k, j] >= 0 && ((Owners[j] ^ k) & (d - 1)) == 0 && Final[k ^ d, j] < 0)
                        Final[k ^ d, j] = Add(Opcode.Copy, k ^ d, j, Final[k, j]);
        return this;
    }

    /// <summary>Copies one chip's tensor to every chip.</summary>
    public static CollectivePlan Broadcast(int chips, int blocks, int source, Algorithm algorithm)
    {
        var plan = new CollectivePlan(CollectiveKind.Broadcast, chips, blocks, algorithm, blocks);
        for (var j = 0; j < blocks; j++)
            for (var k = 0; k < chips; k++) plan.Final[k, j] = plan.Part(source, j);
        Array.Fill(plan.Owners, source);
        plan.Spread(blocks, algorithm);
        return plan;
    }

    /// <summary>Copies each block from its owner to every other chip: round the ring, or straight from the owner.</summary>
    private void Spread(int blocks, Algorithm algorithm)
    {
        for (var s = 1; s < Chips; s++)
            for (var j = 0; j < blocks; j++)
            {
                var (to, from) = ((Owners[j] + s) % Chips, algorithm == Algorithm.Ring ? (Owners[j] + s - 1) % Chips : Owners[j]);
                Final[to, j] = Add(Opcode.Copy, to, j, Final[from, j]);
            }
    }

    /// <summary>Chip k's part becomes result blocks k × blocks .. (k + 1) × blocks − 1, on every chip.</summary>
    public static CollectivePlan AllGather(int chips, int blocks, Algorithm algorithm)
    {
        var plan = new CollectivePlan(CollectiveKind.AllGather, chips, blocks, algorithm, chips * blocks);
        var n = chips;
        for (var k = 0; k < n; k++)
            for (var j = 0; j < blocks; j++) plan.Final[k, k * blocks + j] = plan.Part(k, j);
        for (var s = 1; s < n; s++)
            for (var k = 0; k < n; k++)
                for (var j = 0; j < blocks; j++)
                {
                    var to = (k + s) % n;
                    var from = algorithm == Algorithm.Ring ? (k + s - 1) % n : k;
                    plan.Final[to, k * blocks + j] = plan.Add(Opcode.Copy, to, k * blocks + j, plan.Final[from, k * blocks + j]);
                }
        return plan;
    }

    /// <summary>
    /// The plan of a bound collective over these chips (in part order): the algorithm chosen from their links and the block count;
    /// a broadcast's from chip <paramref name="source"/>.
    /// </summary>
    public static CollectivePlan Of(Machine machine, BoundCollective c, IReadOnlyList<Chip> chips, int blocks, int source = 0) =>
        Of(c, chips.Count, blocks, Choose(machine, chips, blocks, reduces: c.Sums), source);

    /// <summary>The steps for n chips by an algorithm (the values they make do not depend on it: the interpreters take either).</summary>
    public static CollectivePlan Of(BoundCollective c, int chips, int blocks, Algorithm algorithm, int source = 0) => c.Kind switch
    {
        CollectiveKind.AllGather => AllGather(chips, blocks, algorithm),
        CollectiveKind.Broadcast => Broadcast(chips, blocks, source, algorithm),
        _ => AllReduce(chips, blocks, algorithm, scatter: c.Kind == CollectiveKind.ReduceScatter),
    };

    /// <summary>Runs the steps on values of any kind; returns every value, parts first.</summary>
    public T[] Run<T>(Func<int, int, T> part, Func<Step, T, T, T> add, Func<Step, T, T> copy)
    {
        var values = new T[Chips * Blocks + _steps.Count];
        for (var k = 0; k < Chips; k++)
            for (var j = 0; j < Blocks; j++) values[Part(k, j)] = part(k, j);
        for (var i = 0; i < _steps.Count; i++)
        {
            var s = _steps[i];
            values[Chips * Blocks + i] = s.Op == Opcode.Copy ? copy(s, values[s.A]) : add(s, values[s.A], values[s.B]);
        }
        return values;
    }

    /// <summary>For the report: what ran, over which chips, how.</summary>
    public string Describe(string what, IReadOnlyList<Chip> chips) => $"{Name} of {what} over {Over(chips)}: " + (Chosen, Kind) switch
    {
        (Algorithm.Tree, _) => $"tree, {(int)Math.Ceiling(Math.Log2(Chips))} rounds summing onto {chips[0].Pool}"
            + (Kind == CollectiveKind.AllReduce ? " and as many sending the sum back down" : ""),
        (Algorithm.HalvingDoubling, CollectiveKind.AllReduce) => $"recursive halving and doubling, {Log2} rounds of reduce-scatter "
            + $"and {Log2} of all-gather",
        (Algorithm.HalvingDoubling, _) => $"recursive halving, {Log2} rounds",
        (Algorithm.Ring, CollectiveKind.AllReduce) => $"ring, {Chips - 1} rounds of reduce-scatter and {Chips - 1} of all-gather",
        (Algorithm.Ring, _) => $"ring, {Chips - 1} rounds",
        (_, CollectiveKind.AllReduce) => "direct (each block summed on one chip, then sent to the others)",
        (_, CollectiveKind.ReduceScatter) => "direct (each block summed on one chip)",
        (_, CollectiveKind.Broadcast) => "direct (sent from its chip to each)",
        _ => "direct (each part sent to each chip)",
    } + $", {Blocks} blocks a part";

    private int Log2 => (int)Math.Ceiling(Math.Log2(Chips));

    private static string Over(IReadOnlyList<Chip> chips) => chips.Count <= 8
        ? $"{chips.Count} chips ({string.Join(", ", chips.Select(c => c.Pool))})"
        : $"{chips.Count} chips ({chips[0].Pool} … {chips[^1].Pool})";
}
