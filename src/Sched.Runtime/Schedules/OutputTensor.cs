namespace Sched.Runtime.Schedules;

/// <summary>A program output: its tiles in column order and, in functional mode, the values the reference interpreter expects.</summary>
public sealed record OutputTensor(string Name, int Rows, int Cols, int[] Tiles, double[]? Expected);
