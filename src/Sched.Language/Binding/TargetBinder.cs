using Sched.Language.Diagnostics;
using Sched.Language.Syntax;
using Sched.Language.Units;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Library;

namespace Sched.Language.Binding;

/// <summary>Binds a target declaration to a machine model: settings, components with their properties in units, links.</summary>
internal static class TargetBinder
{
    private const int DefaultTileWidth = 128;

    private static readonly Dictionary<string, string[]> Properties = new()
    {
        ["sram"] = ["capacity", "bandwidth", "latency", "banks"],
        ["hbm"] = ["capacity", "bandwidth", "latency", "channels", "burst"],
        ["flash"] = ["capacity", "page", "read", "channels", "dies", "rate", "write", "latency"],
        ["dram"] = ["capacity", "bandwidth", "latency", "channels", "burst"],
        ["fiber"] = ["length", "rate", "index", "latency"],
        ["pnm"] = ["capacity", "internal", "peak", "latency"],
        ["matrix"] = ["peak", "latency"],
        ["vector"] = ["peak", "latency"],
        ["link"] = ["bandwidth", "latency", "lanes"],
    };

    public static BoundTarget? Bind(TargetDeclarationSyntax target, DiagnosticBag diagnostics)
    {
        var errorsBefore = diagnostics.Count;
        var constants = new Constants(diagnostics, new Dictionary<string, Quantity>());
        double? clock = null;
        var tile = DefaultTileWidth;
        var tileSet = false;
        foreach (var setting in target.Members.OfType<SettingSyntax>())
        {
            switch (setting.Name.Text)
            {
                case "clock":
                    if (Expect(constants, setting.Value, "clock", Dimension.Frequency, diagnostics) is { } hz)
                        if (hz > 0) clock = hz;
                        else diagnostics.ReportInvalidValue(setting.Value.Span, "the clock must be above 0 Hz");
                    break;
                case "tile":
                    tile = constants.Count(setting.Value, "tile") ?? tile;
                    tileSet = true;
                    break;
                default:
                    diagnostics.ReportUnknownProperty(setting.Name.Span, "target", setting.Name.Text, ["clock", "tile"]);
                    break;
            }
        }
        // Chips bring their preset's clock: a multi-chip target runs on one clock, so they must agree.
        var chips = new List<(ChipSyntax Syntax, Preset Preset, int Count)>();
        foreach (var chip in target.Members.OfType<ChipSyntax>())
        {
            if (Catalogue.Find(chip.Preset.Text) is not { } preset) { diagnostics.ReportUnknownTarget(chip.Preset.Span, chip.Preset.Text); continue; }
            if (preset.Machine is null) { diagnostics.ReportInvalidValue(chip.Preset.Span, $"{preset.Name} cannot be a chip yet: {preset.NotSchedulable}"); continue; }
            if (constants.Count(chip.Count, "a chip count") is not { } count) continue;
            if (clock is { } c && Math.Abs(c - preset.Machine.ClockHz) > 1e-6 * c)
            {
                diagnostics.ReportInvalidValue(chip.Preset.Span, $"{preset.Name} runs at {preset.Machine.ClockHz / 1e6} MHz; leave the target's clock out or make it match");
                continue;
            }
            clock ??= preset.Machine.ClockHz;
            if (!tileSet) tile = preset.TileWidth;
            chips.Add((chip, preset, count));
        }
        if (clock is null)
        {
            if (diagnostics.Count == errorsBefore) diagnostics.ReportMissingClock(target.Name.Span, target.Name.Text);
            return null;
        }

        var memories = new List<Memory>();
        var units = new List<ComputeUnit>();
        var links = new List<Link>();
        var declared = new Dictionary<string, string>();
        var groups = new Dictionary<string, IReadOnlyList<Chip>>();
        var bursts = new Dictionary<string, long>();
        foreach (var (chip, preset, count) in chips)
        {
            if (!declared.TryAdd(chip.Name.Text, "chip")) { diagnostics.ReportDuplicateName(chip.Name.Span, chip.Name.Text); continue; }
            var members = new List<Chip>();
            for (var k = 0; k < count; k++)
            {
                // Chip k's parts are named lpu[k].sram, lpu[k].mxm; its units form the pool lpu[k].
                var prefix = $"{chip.Name.Text}[{k}]";
                string Rename(string part) => $"{prefix}.{part}";
                memories.AddRange(preset.Machine!.Memories.Select(m => m with { Name = Rename(m.Name) }));
                units.AddRange(preset.Machine.Units.Select(u => u with { Name = Rename(u.Name), Pool = prefix }));
                links.AddRange(preset.Machine.Links.Select(l => l with { Name = $"{Rename(l.From)}->{Rename(l.To)}", From = Rename(l.From), To = Rename(l.To) }));
                members.Add(new Chip(Rename(preset.Machine.Memories[0].Name), prefix));
            }
            groups[chip.Name.Text] = members;
        }
        foreach (var component in target.Members.OfType<ComponentSyntax>())
        {
            var kind = component.Kind.Text;
            if (!Properties.ContainsKey(kind) || kind == "link")
            {
                diagnostics.ReportUnknownComponentKind(component.Kind.Span, kind);
                continue;
            }
            if (!declared.TryAdd(component.Name.Text, kind))
            {
                diagnostics.ReportDuplicateName(component.Name.Span, component.Name.Text);
                continue;
            }
            var values = ReadProperties(component.Properties, kind, component.Name.Text, clock.Value, constants, diagnostics);
            if (kind == "fiber")
            {
                if (Fiber(component, values, clock.Value, diagnostics) is { } loop) memories.Add(loop);
                continue;
            }
            if (kind == "pnm")
            {
                // Processing near memory: a memory, a compute pool of the same name, and the internal links between
                // them; the host reaches it only over links the target declares (the external link).
                if (Required(values, "capacity", component, diagnostics) is not { } size
                    || Required(values, "internal", component, diagnostics) is not { } inside
                    || Required(values, "peak", component, diagnostics) is not { } pnmPeak) continue;
                var name = component.Name.Text;
                var pu = name + ".pu";
                var latency = (int)values.GetValueOrDefault("latency", 0);
                memories.Add(new Memory(name, (long)size, latency, inside, "pnm"));
                units.Add(new ComputeUnit(pu, name, UnitKind.Vector, pnmPeak / clock.Value, latency));
                links.Add(new Link($"{name}->{pu}", name, pu, inside / clock.Value, 0, 1));
                links.Add(new Link($"{pu}->{name}", pu, name, inside / clock.Value, 0, 1));
                continue;
            }
            if (kind == "flash")
            {
                // Whole pages: each die reads for tR a page; dies are spread over channels that each carry one transfer at a time.
                if (Required(values, "capacity", component, diagnostics) is not { } flashCapacity
                    || Required(values, "page", component, diagnostics) is not { } page
                    || Required(values, "read", component, diagnostics) is not { } tR
                    || Required(values, "rate", component, diagnostics) is not { } channelRate) continue;
                var channels = (int)values.GetValueOrDefault("channels", 1);
                var dies = (int)values.GetValueOrDefault("dies", 1);
                memories.Add(new Memory(component.Name.Text, (long)flashCapacity, (int)values.GetValueOrDefault("latency", 0),
                    channelRate * channels, "flash", Banks: Math.Max(2, channels * dies), PageBytes: (long)page, ReadCycles: (int)tR,
                    DiesPerChannel: dies, ChannelBytesPerCycle: channelRate / clock.Value));
                continue;
            }
            if (kind is "hbm" or "dram")
            {
                // Channels work like banks (one transfer each at a time); links to and from it move whole bursts.
                if (Required(values, "capacity", component, diagnostics) is not { } hbmCapacity) continue;
                memories.Add(new Memory(component.Name.Text, (long)hbmCapacity, (int)values.GetValueOrDefault("latency", 0),
                    values.GetValueOrDefault("bandwidth"), kind, Banks: (int)values.GetValueOrDefault("channels", 0)));
                bursts[component.Name.Text] = (long)values.GetValueOrDefault("burst", 0);
                continue;
            }
            if (kind == "sram")
            {
                if (component.Count is not null)
                    diagnostics.ReportInvalidValue(component.Count.Span, "an sram is one memory; declare several by name");
                if (Required(values, "capacity", component, diagnostics) is { } capacity)
                    memories.Add(new Memory(component.Name.Text, (long)capacity, (int)values.GetValueOrDefault("latency", 1),
                        values.GetValueOrDefault("bandwidth"), Banks: (int)values.GetValueOrDefault("banks", 0)));
                continue;
            }
            var count = component.Count is null ? 1 : constants.Count(component.Count, "a unit count") ?? 1;
            // A unit given only per-dtype peaks takes the largest as its general peak; dtypes not named use the general one.
            var dtypePeaks = Enum.GetValues<DataType>().Select(t => values.GetValueOrDefault("peak@" + t.Name()) / clock.Value).ToArray();
            if (!values.ContainsKey("peak") && dtypePeaks.Any(x => x > 0)) values["peak"] = dtypePeaks.Max() * clock.Value;
            if (Required(values, "peak", component, diagnostics) is not { } peak) continue;
            for (var i = 0; i < count; i++)
            {
                var name = component.Count is null ? component.Name.Text : $"{component.Name.Text}[{i}]";
                units.Add(new ComputeUnit(name, component.Name.Text, kind == "matrix" ? UnitKind.Matrix : UnitKind.Vector,
                    peak / clock.Value, (int)values.GetValueOrDefault("latency", 0), dtypePeaks.Any(x => x > 0) ? dtypePeaks : null));
            }
        }

        foreach (var link in target.Members.OfType<LinkSyntax>())
        {
            if (groups.TryGetValue(link.From.Text, out var chain) || groups.ContainsKey(link.To.Text))
            {
                if (link.From.Text != link.To.Text || chain is null)
                {
                    diagnostics.ReportWrongKindOfName(link.Span, "a chip-to-chip link joins the chips of one group: 'link lpu -> lpu { … }'");
                    continue;
                }
                var c2c = ReadProperties(link.Properties, "link", $"link {link.From.Text} -> {link.To.Text}", clock.Value, constants, diagnostics);
                if (Required(c2c, "bandwidth", link, diagnostics) is not { } c2cBandwidth) continue;
                // Chip k's memory feeds chip k+1's units (and back, for <->): activations cross as loads.
                for (var k = 0; k + 1 < chain.Count; k++)
                    foreach (var (from, to) in link.BothWays ? new[] { (k, k + 1), (k + 1, k) } : [(k, k + 1)])
                        foreach (var unit in units.Where(u => u.Pool == chain[to].Pool))
                            links.Add(new Link($"{chain[from].Memory}->{unit.Name}", chain[from].Memory, unit.Name, c2cBandwidth / clock.Value,
                                (int)c2c.GetValueOrDefault("latency", 0), (int)c2c.GetValueOrDefault("lanes", 1)));
                continue;
            }
            var ok = true;
            foreach (var end in new[] { link.From, link.To })
                if (!declared.ContainsKey(end.Text))
                {
                    diagnostics.ReportUnknownName(end.Span, end.Text, "component");
                    ok = false;
                }
            if (!ok) continue;
            if (IsMemory(declared[link.From.Text]) == IsMemory(declared[link.To.Text]))
            {
                diagnostics.ReportWrongKindOfName(link.Span, "a link joins a memory and a pool of compute units");
                continue;
            }
            var values = ReadProperties(link.Properties, "link", $"link {link.From.Text} -> {link.To.Text}", clock.Value, constants, diagnostics);
            if (Required(values, "bandwidth", link, diagnostics) is not { } bandwidth) continue;
            var lanes = (int)values.GetValueOrDefault("lanes", 1);
            var latency = (int)values.GetValueOrDefault("latency", 0);
            var pairs = new List<(string From, string To)> { (link.From.Text, link.To.Text) };
            if (link.BothWays) pairs.Add((link.To.Text, link.From.Text));
            foreach (var (from, to) in pairs)
            {
                // A link to a pool is one port per unit: each instance gets its own lanes.
                var fromUnits = IsMemory(declared[from]) ? [from] : InstancesOf(from, units);
                var toUnits = IsMemory(declared[to]) ? [to] : InstancesOf(to, units);
                foreach (var f in fromUnits)
                    foreach (var t in toUnits)
                        links.Add(new Link($"{f}->{t}", f, t, bandwidth / clock.Value, latency, lanes,
                            Math.Max(bursts.GetValueOrDefault(f), bursts.GetValueOrDefault(t))));
            }
        }
        if (diagnostics.Count > errorsBefore) return null;
        return new BoundTarget(new Machine(target.Name.Text, clock.Value, memories, units, links), tile) { Groups = groups };
    }

    private static bool IsMemory(string kind) => kind is "sram" or "fiber" or "pnm" or "hbm" or "dram" or "flash";

    /// <summary>
    /// A fibre delay loop: period P = ceil(length · index / c · clock) cycles, b = rate / clock bytes a cycle,
    /// capacity P · b. Light's speed in vacuum is exact (the metre's definition); the group index defaults to 1.468.
    /// </summary>
    private static Memory? Fiber(ComponentSyntax component, Dictionary<string, double> values, double clock, DiagnosticBag diagnostics)
    {
        if (Required(values, "length", component, diagnostics) is not { } length || Required(values, "rate", component, diagnostics) is not { } rate) return null;
        var index = values.GetValueOrDefault("index", 1.468);
        var period = Math.Ceiling(length * index / 299_792_458.0 * clock * (1 - 1e-12));
        var slot = Math.Floor(rate / clock);   // rate is already in bytes a second (b/s parse as eighths of B/s)
        if (slot < 1 || period < 1 || period * slot > long.MaxValue / 4)
        {
            diagnostics.ReportInvalidValue(component.Span, $"fiber {component.Name.Text} needs at least one byte a cycle and one cycle a revolution, and a capacity that can be addressed");
            return null;
        }
        return new Memory(component.Name.Text, (long)(period * slot), (int)values.GetValueOrDefault("latency", 0), slot * clock, "fiber", (long)period, (long)slot);
    }

    private static IEnumerable<string> InstancesOf(string name, List<ComputeUnit> units)
    {
        var pool = units.Where(u => u.Pool == name).Select(u => u.Name).ToList();
        return pool.Count > 0 ? pool : [name];
    }

    private static double? Required(Dictionary<string, double> values, string name, SyntaxNode owner, DiagnosticBag diagnostics)
    {
        if (values.TryGetValue(name, out var value)) return value;
        var what = owner switch
        {
            ComponentSyntax c => $"{c.Kind.Text} {c.Name.Text}",
            LinkSyntax l => $"link {l.From.Text} -> {l.To.Text}",
            _ => "this component",
        };
        diagnostics.ReportMissingProperty(owner.Span, what, name);
        return null;
    }

    /// <summary>Reads properties into base units; latencies become whole cycles at the clock.</summary>
    private static Dictionary<string, double> ReadProperties(IReadOnlyList<PropertySyntax> properties, string kind, string owner,
        double clock, Constants constants, DiagnosticBag diagnostics)
    {
        var values = new Dictionary<string, double>();
        foreach (var p in properties)
        {
            var name = p.Name.Text;
            if (!Properties[kind].Contains(name))
            {
                diagnostics.ReportUnknownProperty(p.Name.Span, kind, name, Properties[kind]);
                continue;
            }
            var key = name;
            if (p.Dtype is not null)
            {
                if (name != "peak")
                {
                    diagnostics.ReportInvalidValue(p.Dtype.Span, "only a peak is given per dtype ('peak = 750 TFLOP/s @ int8;')");
                    continue;
                }
                if (!DataTypeFacts.TryParse(p.Dtype.Text, out _))
                {
                    diagnostics.ReportUnknownDtype(p.Dtype.Span, p.Dtype.Text);
                    continue;
                }
                key = "peak@" + p.Dtype.Text;
            }
            if (values.ContainsKey(key))
            {
                diagnostics.ReportDuplicateName(p.Name.Span, name);
                continue;
            }
            double? value = name switch
            {
                "length" => Expect(constants, p.Value, $"{owner}'s length", Dimension.Length, diagnostics),
                "rate" => Expect(constants, p.Value, $"{owner}'s rate", Dimension.Bandwidth, diagnostics),
                "index" => Expect(constants, p.Value, $"{owner}'s group index", Dimension.None, diagnostics),
                "capacity" => Expect(constants, p.Value, $"{owner}'s capacity", Dimension.Bytes, diagnostics),
                "internal" => Expect(constants, p.Value, $"{owner}'s internal bandwidth", Dimension.Bandwidth, diagnostics),
                "bandwidth" => Expect(constants, p.Value, $"{owner}'s bandwidth", Dimension.Bandwidth, diagnostics),
                "peak" => Expect(constants, p.Value, $"{owner}'s peak", Dimension.ComputeRate, diagnostics),
                "lanes" => constants.Count(p.Value, $"{owner}'s lanes"),
                "banks" => constants.Count(p.Value, $"{owner}'s banks"),
                "channels" => constants.Count(p.Value, $"{owner}'s channels"),
                "dies" => constants.Count(p.Value, $"{owner}'s dies per channel"),
                "page" => Expect(constants, p.Value, $"{owner}'s page", Dimension.Bytes, diagnostics),
                "read" or "write" => Latency(constants, p.Value, $"{owner}'s {name} time", clock, diagnostics),
                "burst" => Expect(constants, p.Value, $"{owner}'s burst", Dimension.Bytes, diagnostics),
                _ => Latency(constants, p.Value, $"{owner}'s latency", clock, diagnostics),
            };
            if (value is null) continue;
            if (name is "capacity" or "bandwidth" or "peak" or "length" or "rate" or "index" or "internal" && value <= 0)
            {
                diagnostics.ReportInvalidValue(p.Value.Span, $"{owner}'s {name} must be above 0");
                continue;
            }
            if (name == "capacity" && value > long.MaxValue / 2)
            {
                diagnostics.ReportInvalidValue(p.Value.Span, $"{owner}'s capacity is too large to address");
                continue;
            }
            values[key] = value.Value;
        }
        return values;
    }

    private static double? Expect(Constants constants, ExpressionSyntax syntax, string what, Dimension dimension, DiagnosticBag diagnostics)
    {
        if (constants.Evaluate(syntax) is not { } q) return null;
        if (q.Dimension == dimension) return q.Value;
        diagnostics.ReportWrongDimension(syntax.Span, what, dimension.Describe(), q);
        return null;
    }

    private static double? Latency(Constants constants, ExpressionSyntax syntax, string what, double clock, DiagnosticBag diagnostics)
    {
        if (constants.Evaluate(syntax) is not { } q) return null;
        double cycles;
        if (q.Dimension == Dimension.Cycles) cycles = q.Value;
        else if (q.Dimension == Dimension.Time) cycles = Math.Ceiling(q.Value * clock * (1 - 1e-12));
        else
        {
            diagnostics.ReportWrongDimension(syntax.Span, what, "a number of cycles or a time", q);
            return null;
        }
        if (cycles < 0 || cycles > int.MaxValue || cycles != Math.Floor(cycles))
        {
            diagnostics.ReportInvalidValue(syntax.Span, $"{what} must be a whole number of cycles from 0 up");
            return null;
        }
        return cycles;
    }
}
