using Sched.Cli.Commands;

namespace Sched.Cli.Output;

/// <summary>
/// The HTML page of a sweep: time and tokens/s against the first swept parameter, a line for each value of the others; a point
/// bound by compute is a triangle, one bound by memory or links a circle, so the bend from one to the other shows.
/// </summary>
internal static class SweepPlot
{
    public static string Html(string file, IReadOnlyList<string> names, IReadOnlyList<SweepCommand.Point> points)
    {
        var data = new
        {
            file,
            names,
            // The x axis is the parameter with the most values; the others make one line each.
            x = Enumerable.Range(0, names.Count).OrderByDescending(i => points.Select(p => p.Values[i].Value).Distinct().Count())
                .ThenBy(i => i).FirstOrDefault(),
            points = points.Select(p => new
            {
                values = p.Values.Select(v => v.Value).ToArray(),
                ms = p.Seconds * 1e3,
                tokensPerSecond = p.TokensPerSecond,
                bound = p.BoundKind,
                ratio = SweepCommand.Ratio(p),
                compute = p.ComputeBound,
                verified = p.Verified,
                contracts = $"{p.Contracts.Held}/{p.Contracts.All}",
                error = p.Error,
            }),
        };
        var body = $"""
            <h1>sched sweep {HtmlPage.Encode(file)}</h1>
            <p>Time and tokens/s at each point; ▲ bound by compute, ● by memory or links (the bound the verifier derives).</p>
            <div id="sweep" class="chart"></div>
            <h2>Points</h2><table id="points"></table>
            """;
        return HtmlPage.Write($"sched sweep {file}", body, data, Script);
    }

    private const string Script = """
        const x = data.names[data.x] || 'point';
        const num = v => Number.isFinite(Number(v)) ? Number(v) : v;
        const xv = p => num(p.values[data.x] ?? 0);
        const key = p => data.names.map((n, i) => i === data.x ? null : n + '=' + p.values[i]).filter(Boolean).join(', ') || 'all';
        const groups = {};
        data.points.filter(p => !p.error).forEach(p => (groups[key(p)] = groups[key(p)] || []).push(p));
        const xs = data.points.map(xv);
        const numeric = xs.every(v => typeof v === 'number' && v > 0);
        const log = numeric && Math.max(...xs) / Math.min(...xs) >= 16;
        const series = [];
        for (const [name, ps] of Object.entries(groups)) {
          const pts = ps.map(p => ({ value: [xv(p), p.ms], symbol: p.compute ? 'triangle' : 'circle', symbolSize: 10, p }));
          series.push({ name: name + ' (time)', type: 'line', data: pts, yAxisIndex: 0, showAllSymbol: true });
          series.push({ name: name + ' (tokens/s)', type: 'line', lineStyle: { type: 'dashed' }, yAxisIndex: 1, showAllSymbol: true,
            data: ps.map(p => ({ value: [xv(p), p.tokensPerSecond], symbol: p.compute ? 'triangle' : 'circle', symbolSize: 8, p })) });
        }
        const chart = echarts.init(document.getElementById('sweep'));
        chart.setOption({ animation: false,
          tooltip: { trigger: 'item', formatter: i => { const p = i.data.p; return data.names.map((n, k) => n + ' = ' + p.values[k])
            .join('<br>') + '<br>' + p.ms.toPrecision(4) + ' ms, ' + p.tokensPerSecond.toPrecision(4) + ' tokens/s<br>bound: ' + p.bound
            + ' (makespan/bound ' + p.ratio.toFixed(3) + ')'; } },
          legend: { top: 0 }, grid: { top: 60, left: 70, right: 80 },
          xAxis: { type: numeric ? (log ? 'log' : 'value') : 'category', name: x, nameLocation: 'middle', nameGap: 28 },
          yAxis: [{ type: 'value', name: 'time (ms)' }, { type: 'value', name: 'tokens/s' }],
          series });
        const t = document.getElementById('points');
        t.innerHTML = '<tr>' + data.names.map(n => '<th>' + n + '</th>').join('') + '<th>time (ms)</th><th>tokens/s</th><th>bound</th>'
          + '<th>makespan/bound</th><th>verified</th><th>contracts held</th></tr>';
        for (const p of data.points) {
          const row = t.insertRow();
          p.values.forEach(v => row.insertCell().textContent = v);
          if (p.error) { const c = row.insertCell(); c.colSpan = 6; c.className = 'failed'; c.textContent = p.error; continue; }
          [p.ms.toPrecision(5), p.tokensPerSecond.toPrecision(5), p.bound, p.ratio.toFixed(3)]
            .forEach(v => row.insertCell().textContent = v);
          const ok = row.insertCell(); ok.textContent = p.verified ? 'yes' : 'FAILED'; ok.className = p.verified ? 'ok' : 'failed';
          row.insertCell().textContent = p.contracts;
        }
        document.body.dataset.rendered = 'true';
        """;
}
