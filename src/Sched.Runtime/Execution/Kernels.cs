namespace Sched.Runtime.Execution;

/// <summary>What one compute instruction does to its tiles (row-major values), in a fixed accumulation order.</summary>
public static class Kernels
{
    /// <summary>[M×K]·[K×N] where the left operand arrives as column blocks; k runs 0..K-1 in order.</summary>
    public static double[] Matmul(IReadOnlyList<(double[] Values, int Cols)> leftBlocks, double[] right, int m, int k, int n)
    {
        var result = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                var kk = 0;
                foreach (var (values, cols) in leftBlocks)
                    for (var c = 0; c < cols; c++, kk++)
                        sum += values[i * cols + c] * right[kk * n + j];
                result[i * n + j] = sum;
            }
        return result;
    }

    public static double Add(double a, double b) => a + b;
    public static double Mul(double a, double b) => a * b;
    public static double Silu(double x) => x / (1 + Math.Exp(-x));
}
