namespace Sched.Runtime.Schedules;

/// <summary>
/// A program output: its tiles in column order; in functional mode, the values the reference interpreter expects; and
/// <see cref="Symbols"/>, what each tile must hold as a formula of the inputs (<see cref="Verification.Symbol"/>), derived
/// from the program by the compiler, so the verifier can prove the dataflow at any size without numbers.
/// </summary>
public sealed record OutputTensor(string Name, int Rows, int Cols, int[] Tiles, double[]? Expected, ulong[]? Symbols = null);
