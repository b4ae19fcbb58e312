using Sched.Runtime.Operations;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Tests;

/// <summary>
/// Each operation's reference evaluation against values worked out by hand (the compiler tests hold the tile kernels to it).
/// </summary>
public class OperationTests
{
    private static double[] Evaluate(string name, Shape[] shapes, long[] settings, params double[][] operands)
    {
        var operation = OperationCatalogue.Find(name)!;
        // Settings left out take their defaults.
        var call = new Call(shapes, [.. settings, .. operation.Settings.Skip(settings.Length).Select(s => s.Default)], 64);
        operation.Result(call, out var error);
        Assert.That(error, Is.Null, error?.Message);
        return operation.Evaluate(call, operands);
    }

    private static Shape S(int rows, int cols) => new(DataType.Fp32, rows, cols);

    [Test]
    public void Softmax_of_a_row_sums_to_one_in_the_ratio_of_exponentials()
    {
        var y = Evaluate("softmax", [S(1, 2)], [], [0, Math.Log(3)]);
        Assert.That(y, Is.EqualTo(new[] { 0.25, 0.75 }).Within(1e-12));
    }

    [Test]
    public void Rmsnorm_of_3_4_divides_by_the_root_mean_square_and_multiplies_by_the_gain()
    {
        // mean(9, 16) = 12.5; 3 / √12.50001 × 2 and 4 / √12.50001 × 1.
        var y = Evaluate("rmsnorm", [S(1, 2), S(1, 2)], [], [3, 4], [2, 1]);
        var rms = Math.Sqrt(12.5 + 1e-5);
        Assert.That(y, Is.EqualTo(new[] { 3 / rms * 2, 4 / rms }).Within(1e-12));
    }

    [Test]
    public void Layernorm_centres_scales_and_shifts()
    {
        // mean 2, variance 1: (1 − 2)/√1.00001 × 1 + 10, (3 − 2)/√1.00001 × 1 + 10.
        var y = Evaluate("layernorm", [S(1, 2), S(1, 2), S(1, 2)], [], [1, 3], [1, 1], [10, 10]);
        Assert.That(y, Is.EqualTo(new[] { 10 - 1 / Math.Sqrt(1 + 1e-5), 10 + 1 / Math.Sqrt(1 + 1e-5) }).Within(1e-12));
    }

    [Test]
    public void Gelu_is_zero_at_zero_and_near_x_for_large_x() =>
        Assert.That(Evaluate("gelu", [S(1, 3)], [], [0, 10, -10]), Is.EqualTo(new[] { 0, 10, 0 }).Within(1e-9));

    [Test]
    public void Rope_turns_each_pair_by_position_times_its_frequency()
    {
        // head_dim 4: pair 0 turns by p, pair 1 by p / 100. At position 1 the pair (1, 0) becomes (cos 1, sin 1).
        var y = Evaluate("rope", [S(1, 4)], [4, 1, 0], [1, 0, 1, 0]);
        Assert.That(y, Is.EqualTo(new[] { Math.Cos(1), Math.Sin(1), Math.Cos(0.01), Math.Sin(0.01) }).Within(1e-12));
    }

    [Test]
    public void Rope_in_a_prompt_puts_row_r_at_position_r()
    {
        var y = Evaluate("rope", [S(2, 2)], [2, 0, 1], [1, 0, 1, 0]);
        Assert.That(y, Is.EqualTo(new[] { 1, 0, Math.Cos(1), Math.Sin(1) }).Within(1e-12));
    }

    [Test]
    public void Attention_with_equal_scores_averages_the_values()
    {
        // One query, two keys orthogonal to it: equal scores, so the output is the mean of the two value rows.
        var y = Evaluate("attention", [S(1, 2), S(2, 2), S(2, 2)], [2, 1, 0], [1, 0], [0, 1, 0, 1], [2, 4, 6, 8]);
        Assert.That(y, Is.EqualTo(new[] { 4.0, 6.0 }).Within(1e-12));
    }

    [Test]
    public void Attention_weighs_keys_by_the_softmax_of_scaled_scores_past_first()
    {
        // head_dim 1, scale 1: past key 0 (score 0), new key ln 3 (score ln 3): weights 1/4, 3/4 of values 4 and 8.
        var y = Evaluate("attention", [S(1, 1), S(1, 1), S(1, 1), S(1, 1), S(1, 1)], [1, 0, 0],
            [1], [Math.Log(3)], [8], [0], [4]);
        Assert.That(y, Is.EqualTo(new[] { 7.0 }).Within(1e-12));
    }

    [Test]
    public void Causal_attention_lets_the_first_query_see_only_the_first_key()
    {
        var y = Evaluate("attention", [S(2, 1), S(2, 1), S(2, 1)], [1, 1, 1], [1, 1], [0, 0], [5, 9]);
        Assert.That(y, Is.EqualTo(new[] { 5.0, 7.0 }).Within(1e-12));
    }

    [Test]
    public void Grouped_query_heads_share_their_kv_head()
    {
        // Two query heads (head_dim 1), one KV head: both read the one value column.
        var y = Evaluate("attention", [S(1, 2), S(1, 1), S(1, 1)], [1, 1, 0], [1, 2], [1], [3]);
        Assert.That(y, Is.EqualTo(new[] { 3.0, 3.0 }));
    }

    [Test]
    public void Slice_concat_and_transpose_move_columns_as_said()
    {
        Assert.That(Evaluate("slice", [S(2, 3)], [1, 3, 0, 0], [1, 2, 3, 4, 5, 6]), Is.EqualTo(new double[] { 2, 3, 5, 6 }));
        Assert.That(Evaluate("slice", [S(3, 2)], [0, 0, 2, 3], [1, 2, 3, 4, 5, 6]), Is.EqualTo(new double[] { 5, 6 }), "the last row");
        Assert.That(Evaluate("concat", [S(2, 1), S(2, 2)], [], [1, 2], [3, 4, 5, 6]), Is.EqualTo(new double[] { 1, 3, 4, 2, 5, 6 }));
        Assert.That(Evaluate("transpose", [S(2, 3)], [], [1, 2, 3, 4, 5, 6]), Is.EqualTo(new double[] { 1, 4, 2, 5, 3, 6 }));
        Assert.That(Evaluate("copy", [S(1, 2)], [], [7, 8]), Is.EqualTo(new double[] { 7, 8 }));
    }
}
