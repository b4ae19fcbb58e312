namespace Sched.Runtime.Targets.Kinds;

/// <summary>What a property's value measures; the binder parses and checks it with the matching unit dimension.</summary>
public enum PropertyUnit { Bytes, BytesPerSecond, FlopsPerSecond, Metres, Count, Cycles, Number }

/// <summary>
/// One property of a component kind: its name and unit, what it means, whether it must be given, its default and its
/// allowed range. <see cref="Refused"/> names a property the model does not honour yet (the binder refuses it with that reason).
/// </summary>
public sealed record Property(string Name, PropertyUnit Unit, string Meaning)
{
    public bool Required { get; init; }
    public double? Default { get; init; }
    public double Min { get; init; }
    public double Max { get; init; } = double.MaxValue;
    public bool AboveZero { get; init; }
    public bool PerDtype { get; init; }
    public string? Refused { get; init; }

    public static Property Capacity { get; } = new("capacity", PropertyUnit.Bytes, "bytes it holds")
        { Required = true, AboveZero = true, Max = long.MaxValue / 2 };
    public static Property Bandwidth { get; } = new("bandwidth", PropertyUnit.BytesPerSecond,
        "bytes a second it serves") { AboveZero = true };
    public static Property Latency(double byDefault) =>
        new("latency", PropertyUnit.Cycles, "cycles until written data is readable") { Default = byDefault, Max = int.MaxValue };
}

/// <summary>The values of a component's properties in base units (bytes, B/s, FLOP/s, metres, cycles), defaults filled in.</summary>
public sealed class Values(IReadOnlyDictionary<string, double> values)
{
    public IReadOnlyDictionary<string, double> All => values;
    public double this[string name] => values.TryGetValue(name, out var v) ? v : 0;
    public bool Has(string name) => values.ContainsKey(name);
    public int Count(string name) => (int)this[name];
}

/// <summary>A component that cannot be built from its values; the message says why in the user's terms.</summary>
public sealed class InvalidComponentException(string message) : Exception(message);
