namespace Sched.Language.Units;

/// <summary>A unit such as <c>TB/s</c>: multiply a number by <see cref="Scale"/> to get the base unit of <see cref="Dimension"/>.</summary>
public readonly record struct Unit(double Scale, Dimension Dimension);
