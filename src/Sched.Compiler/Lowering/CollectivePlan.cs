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
/// 2(n − 1)/n of the tensor. Direct: the parts go to chip 0, which adds them in chip order, and it sends the sum to every chip
/// (fewer rounds for tensors of fewer blocks than chips, and the only choice without one-hop neighbours).</para>
/// </summary>
public sealed class CollectivePlan
{
    public enum Algorithm { Ring, Direct }

    /// <summary>One step: an add of values A and B, or a copy of A (B = −1), on chip Chip, for result block Block.</summary>
    public readonly record struct Step(Opcode Op, int Chip, int Block, int A, int B);

    private readonly List<Step> _steps = [];

    private CollectivePlan(bool sums, int chips, int blocks, Algorithm algorithm, int resultBlocks)
    {
        (Sums, Chips, Blocks, Chosen) = (sums, chips, blocks, algorithm);
        Final = new int[chips, resultBlocks];
    }

    public bool Sums { get; }
    public string Name => Sums ? "allreduce" : "allgather";
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

    /// <summary>Ring if every chip reaches the next in one hop and there are at least as many blocks as chips, else direct.</summary>
    public static Algorithm Choose(Machine machine, IReadOnlyList<Chip> chips, int blocks, bool reduces)
    {
        var units = machine.Units.ToLookup(u => u.Pool, u => u.Name);
        bool OneHop(int k) => units[chips[(k + 1) % chips.Count].Pool].All(u =>
            machine.LinkIndex(chips[k].Memory, u) is var l and >= 0 && machine.Links[l].Route.Count <= 1);
        var ring = chips.Count > 1 && Enumerable.Range(0, chips.Count).All(OneHop);
        return ring && (!reduces || blocks >= chips.Count) ? Algorithm.Ring : Algorithm.Direct;
    }

    public static CollectivePlan AllReduce(int chips, int blocks, Algorithm algorithm)
    {
        var plan = new CollectivePlan(sums: true, chips, blocks, algorithm, blocks);
        var n = chips;
        if (algorithm == Algorithm.Direct)
        {
            for (var j = 0; j < blocks; j++)
            {
                var sum = plan.Part(0, j);
                for (var k = 1; k < n; k++) sum = plan.Add(Opcode.Add, 0, j, sum, plan.Part(k, j));
                plan.Final[0, j] = sum;
            }
            for (var k = 1; k < n; k++)
                for (var j = 0; j < blocks; j++) plan.Final[k, j] = plan.Add(Opcode.Copy, k, j, plan.Final[0, j]);
            return plan;
        }
        // Reduce-scatter, round by round: in round s block j's running sum moves from chip (j + s − 1) mod n to (j + s) mod n.
        var running = Enumerable.Range(0, blocks).Select(j => plan.Part(j % n, j)).ToArray();
        for (var s = 1; s < n; s++)
            for (var j = 0; j < blocks; j++)
                running[j] = plan.Add(Opcode.Add, (j + s) % n, j, running[j], plan.Part((j + s) % n, j));
        for (var j = 0; j < blocks; j++) plan.Final[(j + n - 1) % n, j] = running[j];
        // All-gather: the sum passes on round the ring from the chip that finished it.
        for (var s = 1; s < n; s++)
            for (var j = 0; j < blocks; j++)
                plan.Final[(j + n - 1 + s) % n, j] = plan.Add(Opcode.Copy, (j + n - 1 + s) % n, j, plan.Final[(j + n - 2 + s) % n, j]);
        return plan;
    }

    /// <summary>Chip k's part becomes result blocks k × blocks .. (k + 1) × blocks − 1, on every chip.</summary>
    public static CollectivePlan AllGather(int chips, int blocks, Algorithm algorithm)
    {
        var plan = new CollectivePlan(sums: false, chips, blocks, algorithm, chips * blocks);
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

    /// <summary>The plan of a bound collective on its target: the algorithm chosen from the group's links and the block count.</summary>
    public static CollectivePlan Of(BoundTarget target, BoundCollective c, int blocks)
    {
        var chips = target.Groups[c.Group];
        var algorithm = Choose(target.Machine, chips, blocks, reduces: c.Sums);
        return c.Sums ? AllReduce(chips.Count, blocks, algorithm) : AllGather(chips.Count, blocks, algorithm);
    }

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

    /// <summary>For the report: what ran and how much each chip sent.</summary>
    public string Describe(string parts, string group) => Chosen == Algorithm.Ring
        ? $"{Name} of {parts} over the {Chips} chips of {group}: ring, {Chips - 1} rounds"
            + (Sums ? $" of reduce-scatter and {Chips - 1} of all-gather" : "") + $" over {Blocks} blocks a part"
        : $"{Name} of {parts} over the {Chips} chips of {group}: direct" + (Sums ? $" (summed on {group}[0], then sent "
            + "to each chip)" : " (each part sent to each chip)") + $" over {Blocks} blocks a part";
}
