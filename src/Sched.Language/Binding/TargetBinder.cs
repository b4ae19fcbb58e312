using Sched.Language.Diagnostics;
using Sched.Language.Syntax;
using Sched.Language.Text;
using Sched.Language.Units;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Targets.Library;

namespace Sched.Language.Binding;

/// <summary>Binds a target declaration to a machine model: settings, components with their properties in units, links.</summary>
internal static class TargetBinder
{
    private const int DefaultTileWidth = 128;

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
                    if (PropertyReader.Expect(constants, setting.Value, "clock", Dimension.Frequency, diagnostics) is { } hz)
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
            if (Catalogue.Find(chip.Preset.Text) is not { } preset)
            {
                diagnostics.ReportUnknownTarget(chip.Preset.Span, chip.Preset.Text);
                continue;
            }
            if (preset.Machine is null && !TierOnly(preset))
            {
                diagnostics.ReportInvalidValue(chip.Preset.Span, $"{preset.Name} cannot be a chip yet: {preset.NotSchedulable}");
                continue;
            }
            if (constants.Count(chip.Count, "a chip count") is not { } count) continue;
            if (preset.Machine is null)
            {
                // A memory tier (host DDR5, a CXL expander) has no clock of its own: it runs on the target's.
                chips.Add((chip, preset, count));
                continue;
            }
            if (clock is { } c && Math.Abs(c - preset.Machine.ClockHz) > 1e-6 * c)
            {
                diagnostics.ReportInvalidValue(chip.Preset.Span,
                    $"{preset.Name} runs at {preset.Machine.ClockHz / 1e6} MHz; leave the target's clock out or make it match");
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
        foreach (var (chip, preset, count) in chips)
            if (!declared.TryAdd(chip.Name.Text, "chip")) diagnostics.ReportDuplicateName(chip.Name.Span, chip.Name.Text);
            else groups[chip.Name.Text] = preset.Machine is { } machine
                ? Instantiate(chip.Name.Text, machine, count, memories, units, links)
                : InstantiateTiers(chip.Name.Text, preset, count, clock.Value, memories, units, links);
        foreach (var component in target.Members.OfType<ComponentSyntax>())
            BindComponent(component, clock.Value, constants, declared, memories, units, links, diagnostics);
        // A group of chips with units gets a network of channels; its links follow routes over them.
        var networks = groups.Where(g => units.Any(u => u.Pool == g.Value[0].Pool))
            .ToDictionary(g => g.Key, g => (Network: new Interconnect(g.Key, g.Value), Span: (TextSpan?)null));
        foreach (var topology in target.Members.OfType<TopologySyntax>())
            BindTopology(topology, networks, groups, clock.Value, constants, diagnostics);
        foreach (var link in target.Members.OfType<LinkSyntax>())
            if (link.From.Text == link.To.Text && networks.TryGetValue(link.From.Text, out var net))
            {
                BindNetworkLink(link, net.Network, clock.Value, constants, diagnostics);
                networks[link.From.Text] = (net.Network, net.Span ?? link.Span);
            }
            else if (link.FromIndex is not null || link.ToIndex is not null)
                diagnostics.ReportWrongKindOfName((link.FromIndex ?? link.ToIndex)!.Span,
                    "an index names one chip of a group, in a link between two chips of that group: 'link lpu[0] <-> lpu[3] { … }'");
            else if (groups.TryGetValue(link.From.Text, out var chain) || groups.ContainsKey(link.To.Text))
                BindChipLink(link, chain, groups.GetValueOrDefault(link.To.Text), clock.Value, constants, units, links, diagnostics);
            else BindLink(link, clock.Value, constants, declared, units, links, diagnostics);
        foreach (var (network, span) in networks.Values)
            if (network.TooLarge)
                diagnostics.ReportTooLarge(span ?? target.Name.Span, $"the routes between the {network.Count} chips of {network.Group} "
                    + "cross more than 2·10^7 hops in all; join them more closely (a torus or a switch)");
        if (diagnostics.Count > errorsBefore) return null;
        var built = new Machine(target.Name.Text, clock.Value, memories, units, links,
            networks.Values.Select(n => n.Network.Network).ToList());
        // The overheads of every preset its chips come from are printed in each report, as for a preset target.
        var overheads = chips.Select(c => c.Preset).Distinct().SelectMany(p => p.Overheads.Select(o => $"{p.Name}: {o.Name} {o.Value} "
            + $"({o.Source})")).ToList();
        return new BoundTarget(built, tile) { Groups = groups, Overheads = overheads };
    }

    /// <summary>
    /// A preset of memory tiers only whose every tier's kind needs no more than capacity, bandwidth and latency (host DDR5, a
    /// CXL expander): it can stand in a target as a group of memories. The kinds' schemas decide, not their names.
    /// </summary>
    private static bool TierOnly(Preset preset) =>
        preset.Tiers.Count > 0 && preset.Tiers.All(t => MemoryKinds.Find(t.Kind) is { } kind
            && kind.Properties.Where(p => p.Required).All(p => p.Name is "capacity" or "bandwidth" or "latency"));

    /// <summary>Tier preset k's memories are named host[k].dram, with the preset's figures; it has no units.</summary>
    private static List<Chip> InstantiateTiers(string name, Preset preset, int count, double clock, List<Memory> memories,
        List<ComputeUnit> units, List<Link> links)
    {
        var members = new List<Chip>();
        for (var k = 0; k < count; k++)
        {
            var prefix = $"{name}[{k}]";
            foreach (var tier in preset.Tiers)
            {
                var values = new List<(string, double)>
                    { ("capacity", tier.Capacity), ("latency", Math.Ceiling(tier.LatencySeconds * clock)) };
                if (tier.Bandwidth > 0) values.Add(("bandwidth", tier.Bandwidth));
                var parts = MemoryKinds.Declare(tier.Kind, $"{prefix}.{tier.Name}", clock, values);
                memories.AddRange(parts.Memories);
                units.AddRange(parts.Units);
                links.AddRange(parts.Links);
            }
            members.Add(new Chip($"{prefix}.{preset.Tiers[0].Name}", prefix));
        }
        return members;
    }

    /// <summary>Chip k's parts are named lpu[k].sram, lpu[k].mxm; its units form the pool lpu[k].</summary>
    private static List<Chip> Instantiate(string name, Machine preset, int count, List<Memory> memories, List<ComputeUnit> units,
        List<Link> links)
    {
        var members = new List<Chip>();
        for (var k = 0; k < count; k++)
        {
            var prefix = $"{name}[{k}]";
            string Rename(string part) => $"{prefix}.{part}";
            memories.AddRange(preset.Memories.Select(m => m with { Name = Rename(m.Name) }));
            units.AddRange(preset.Units.Select(u => u with { Name = Rename(u.Name), Pool = prefix }));
            links.AddRange(preset.Links.Select(l =>
                l with { Name = $"{Rename(l.From)}->{Rename(l.To)}", From = Rename(l.From), To = Rename(l.To) }));
            members.Add(new Chip(Rename(preset.Memories[0].Name), prefix));
        }
        return members;
    }

    /// <summary>A memory of any kind (the kind's schema says what it accepts) or a pool of compute units.</summary>
    private static void BindComponent(ComponentSyntax component, double clock, Constants constants, Dictionary<string, string> declared,
        List<Memory> memories, List<ComputeUnit> units, List<Link> links, DiagnosticBag diagnostics)
    {
        var keyword = component.Kind.Text;
        var memoryKind = MemoryKinds.Find(keyword);
        if (memoryKind is null && !ComputeUnit.Keywords.ContainsKey(keyword))
        {
            diagnostics.ReportUnknownComponentKind(component.Kind.Span, keyword);
            return;
        }
        if (!declared.TryAdd(component.Name.Text, memoryKind is null ? "units" : "memory"))
        {
            diagnostics.ReportDuplicateName(component.Name.Span, component.Name.Text);
            return;
        }
        var owner = $"{keyword} {component.Name.Text}";
        var schema = memoryKind?.Properties ?? ComputeUnit.Properties;
        var values = PropertyReader.Read(component.Properties, schema, keyword, component.Name.Text, clock, constants, diagnostics);
        if (!PropertyReader.HasRequired(values, schema, component.Span, owner, diagnostics, component.Properties)) return;
        if (memoryKind is null)
        {
            units.AddRange(Units(component, keyword, values, clock, constants));
            return;
        }
        if (component.Count is not null)
            diagnostics.ReportInvalidValue(component.Count.Span, $"a {keyword} is one memory; declare several by name");
        try
        {
            var parts = MemoryKinds.Declare(keyword, component.Name.Text, clock, values.Select(v => (v.Key, v.Value)).ToArray());
            memories.AddRange(parts.Memories);
            units.AddRange(parts.Units);
            links.AddRange(parts.Links);
        }
        catch (InvalidComponentException e)
        {
            diagnostics.ReportInvalidValue(component.Span, e.Message);
        }
    }

    /// <summary>A pool of units; one given only per-dtype peaks takes the largest as its general peak.</summary>
    private static IEnumerable<ComputeUnit> Units(ComponentSyntax component, string keyword, Dictionary<string, double> values,
        double clock,
        Constants constants)
    {
        var count = component.Count is null ? 1 : constants.Count(component.Count, "a unit count") ?? 1;
        var dtypePeaks = Enum.GetValues<DataType>().Select(t => values.GetValueOrDefault("peak@" + t.Name()) / clock).ToArray();
        var peak = values.TryGetValue("peak", out var general) ? general / clock : dtypePeaks.Max();
        for (var i = 0; i < count; i++)
        {
            var name = component.Count is null ? component.Name.Text : $"{component.Name.Text}[{i}]";
            yield return new ComputeUnit(name, component.Name.Text, ComputeUnit.Keywords[keyword], peak,
                (int)values.GetValueOrDefault("latency"),
                dtypePeaks.Any(x => x > 0) ? dtypePeaks : null,
                values.TryGetValue("buffer", out var buffer) ? (long)Math.Min(buffer, long.MaxValue) : long.MaxValue,
                values.TryGetValue("result_bandwidth", out var result) ? result / clock : 0,
                (int)values.GetValueOrDefault("launch"));
        }
    }

    /// <summary>A link joins a memory and a pool; a link to a pool is one port per unit, each with its own lanes.</summary>
    private static void BindLink(LinkSyntax link, double clock, Constants constants, Dictionary<string, string> declared,
        List<ComputeUnit> units, List<Link> links, DiagnosticBag diagnostics)
    {
        var ok = true;
        foreach (var end in new[] { link.From, link.To })
            if (!declared.ContainsKey(end.Text))
            {
                diagnostics.ReportUnknownName(end.Span, end.Text, "component", declared.Keys);
                ok = false;
            }
        if (!ok) return;
        bool IsMemory(string name) => declared[name] == "memory";
        if (IsMemory(link.From.Text) == IsMemory(link.To.Text))
        {
            diagnostics.ReportWrongKindOfName(link.Span, "a link joins a memory and a pool of compute units");
            return;
        }
        var owner = $"link {link.From.Text} -> {link.To.Text}";
        var values = PropertyReader.Read(link.Properties, Link.Properties, "link", owner, clock, constants, diagnostics);
        if (!PropertyReader.HasRequired(values, Link.Properties, link.Span, owner, diagnostics, link.Properties)) return;
        var pairs = new List<(string From, string To)> { (link.From.Text, link.To.Text) };
        if (link.BothWays) pairs.Add((link.To.Text, link.From.Text));
        foreach (var (from, to) in pairs)
            foreach (var f in IsMemory(from) ? [from] : InstancesOf(from, units))
                foreach (var t in IsMemory(to) ? [to] : InstancesOf(to, units))
                    links.Add(new Link($"{f}->{t}", f, t, values["bandwidth"] / clock, (int)values["latency"], (int)values["lanes"]));
    }

    /// <summary>The channels of a shape over a group of chips: <c>link lpu torus(4, 4) { bandwidth = 14 GB/s; }</c>.</summary>
    private static void BindTopology(TopologySyntax topology, Dictionary<string, (Interconnect Network, TextSpan? Span)> networks,
        Dictionary<string, IReadOnlyList<Chip>> groups, double clock, Constants constants, DiagnosticBag diagnostics)
    {
        if (!networks.TryGetValue(topology.Group.Text, out var net))
        {
            if (groups.ContainsKey(topology.Group.Text))
                diagnostics.ReportWrongKindOfName(topology.Group.Span, $"{topology.Group.Text} has no compute units to join: a shape "
                    + "joins chips; link a memory tier to chips with 'link host <-> gpu { … }'");
            else diagnostics.ReportUnknownName(topology.Group.Span, topology.Group.Text, "group of chips", networks.Keys);
            return;
        }
        if (!Interconnect.Shapes.ContainsKey(topology.Shape.Text))
        {
            diagnostics.ReportUnknownName(topology.Shape.Span, topology.Shape.Text, "shape of links", Interconnect.Shapes.Keys);
            return;
        }
        var owner = $"link {topology.Group.Text} {topology.Shape.Text}";
        var values = PropertyReader.Read(topology.Properties, Link.Properties, "link", owner, clock, constants, diagnostics);
        if (!PropertyReader.HasRequired(values, Link.Properties, topology.Span, owner, diagnostics, topology.Properties)) return;
        var dimensions = new List<int>();
        foreach (var d in topology.Dimensions)
            if (constants.Count(d, "a torus dimension") is { } size) dimensions.Add(size);
            else return;
        if (net.Network.AddShape(topology.Shape.Text, dimensions, values["bandwidth"] / clock, (int)values["latency"],
                (int)values["lanes"]) is { } problem)
        {
            diagnostics.ReportInvalidValue(topology.Dimensions.Count > 0 ? topology.Dimensions[0].Span : topology.Shape.Span,
                $"{problem} ({Interconnect.Shapes[topology.Shape.Text]})");
            return;
        }
        networks[topology.Group.Text] = (net.Network, net.Span ?? topology.Span);
    }

    /// <summary>
    /// Within one group: <c>link lpu -> lpu</c> joins chip k to chip k+1 (and back, for &lt;-&gt;); <c>link lpu[0] &lt;-&gt; lpu[3]</c>
    /// joins two named chips. Transfers between chips that are not joined follow routes over these channels.
    /// </summary>
    private static void BindNetworkLink(LinkSyntax link, Interconnect network, double clock, Constants constants,
        DiagnosticBag diagnostics)
    {
        if ((link.FromIndex is null) != (link.ToIndex is null))
        {
            diagnostics.ReportWrongKindOfName((link.FromIndex ?? link.ToIndex)!.Span, $"a link between two chips names both: "
                + $"'link {network.Group}[0] <-> {network.Group}[1] {{ … }}', or neither for a chain: 'link {network.Group} -> "
                + $"{network.Group} {{ … }}'");
            return;
        }
        var owner = $"link {link.From.Text} -> {link.To.Text}";
        var values = PropertyReader.Read(link.Properties, Link.Properties, "link", owner, clock, constants, diagnostics);
        if (!PropertyReader.HasRequired(values, Link.Properties, link.Span, owner, diagnostics, link.Properties)) return;
        var (bandwidth, latency, lanes) = (values["bandwidth"] / clock, (int)values["latency"], (int)values["lanes"]);
        var pairs = new List<(int From, int To)>();
        if (link.FromIndex is null) pairs.AddRange(Enumerable.Range(0, Math.Max(0, network.Count - 1)).Select(k => (k, k + 1)));
        else if (ChipIndex(link.FromIndex, link.From.Text, network, constants, diagnostics) is { } a
                 && ChipIndex(link.ToIndex!, link.To.Text, network, constants, diagnostics) is { } b)
        {
            if (a == b)
            {
                diagnostics.ReportInvalidValue(link.Span, $"a link joins two different chips, not {link.From.Text}[{a}] to itself");
                return;
            }
            pairs.Add((a, b));
        }
        else return;
        foreach (var (from, to) in pairs)
            foreach (var (x, y) in link.BothWays ? new[] { (from, to), (to, from) } : [(from, to)])
                if (!network.Join(x, y, bandwidth, latency, lanes))
                {
                    diagnostics.ReportInvalidValue(link.Span, $"{network.Group}[{x}] is already joined to {network.Group}[{y}]");
                    return;
                }
    }

    private static int? ChipIndex(ExpressionSyntax index, string group, Interconnect network, Constants constants,
        DiagnosticBag diagnostics)
    {
        if (constants.Count(index, "a chip index", min: 0) is not { } at) return null;
        if (at < network.Count) return at;
        diagnostics.ReportIndexOutOfRange(index.Span, group, at, network.Count, "chips");
        return null;
    }

    /// <summary>Between two groups (a host and its GPUs): each member of one feeds each member of the other.</summary>
    private static void BindChipLink(LinkSyntax link, IReadOnlyList<Chip>? chain, IReadOnlyList<Chip>? other, double clock,
        Constants constants, List<ComputeUnit> units, List<Link> links, DiagnosticBag diagnostics)
    {
        if (chain is null || other is null)
        {
            diagnostics.ReportWrongKindOfName(link.Span, "a link between groups joins two groups of chips: 'link lpu -> lpu { … }' "
                + "or 'link host <-> gpu { … }'");
            return;
        }
        var owner = $"link {link.From.Text} -> {link.To.Text}";
        var values = PropertyReader.Read(link.Properties, Link.Properties, "link", owner, clock, constants, diagnostics);
        if (!PropertyReader.HasRequired(values, Link.Properties, link.Span, owner, diagnostics, link.Properties)) return;
        Link Make(string from, string to) =>
            new($"{from}->{to}", from, to, values["bandwidth"] / clock, (int)values["latency"], (int)values["lanes"]);
        if (link.From.Text != link.To.Text)
        {
            // Between two groups (a host and its GPUs): data flows from each member of one into each member of the other — loads
            // from its memory into their units, stores from its units into their memory — and back too for '<->'.
            foreach (var (from, to) in link.BothWays ? new[] { (chain, other), (other, chain) } : [(chain, other)])
                foreach (var a in from)
                    foreach (var b in to)
                    {
                        foreach (var unit in units.Where(u => u.Pool == b.Pool)) links.Add(Make(a.Memory, unit.Name));
                        foreach (var unit in units.Where(u => u.Pool == a.Pool)) links.Add(Make(unit.Name, b.Memory));
                    }
            return;
        }
        diagnostics.ReportWrongKindOfName(link.Span, $"{link.From.Text} has no compute units to chain: link a memory tier to chips "
            + "with 'link host <-> gpu { … }'");
    }

    private static IEnumerable<string> InstancesOf(string name, List<ComputeUnit> units)
    {
        var pool = units.Where(u => u.Pool == name).Select(u => u.Name).ToList();
        return pool.Count > 0 ? pool : [name];
    }
}
