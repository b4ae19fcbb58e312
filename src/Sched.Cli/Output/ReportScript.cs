namespace Sched.Cli.Output;

/// <summary>The script of <see cref="HtmlReport"/>'s page: reads <c>data</c> and draws every section with echarts.</summary>
internal static class ReportScript
{
    public const string Text = """
        const fmt = (x, unit) => { const a = Math.abs(x); const p = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
          for (const [f, s] of p) if (a >= f) return (x / f).toPrecision(4) + ' ' + s + unit; return x.toPrecision(4) + ' ' + unit; };
        const time = s => s >= 1 ? s.toPrecision(4) + ' s' : s >= 1e-3 ? (s * 1e3).toPrecision(4) + ' ms'
          : s >= 1e-6 ? (s * 1e6).toPrecision(4) + ' µs' : (s * 1e9).toPrecision(4) + ' ns';
        const cell = (row, text, cls) => { const c = row.insertCell(); c.textContent = text; if (cls) c.className = cls; return c; };

        const summary = document.getElementById('summary');
        [['cycles', data.cycles + ' (' + time(data.seconds) + ' at ' + fmt(data.clockHz, 'Hz') + ')'],
         ['bound', data.bound + ' cycles (' + data.boundKind + '), makespan/bound '
           + (data.bound > 0 ? (data.cycles / data.bound).toFixed(3) : '-')],
         ['instructions', String(data.instructions)], ['schedule hash', data.hash], ['functional', data.functional],
         ['verification', data.passed ? 'ok' : 'FAILED']].forEach(([k, v]) => {
          const r = summary.insertRow(); cell(r, k); cell(r, v, k === 'verification' ? (data.passed ? 'ok' : 'failed') : ''); });

        const gantt = echarts.init(document.getElementById('gantt'));
        const n = data.tracks.length;
        gantt.setOption({ animation: false,
          tooltip: { formatter: p => { const b = p.value; return b[3] + '<br>' + data.tracks[b[0]] + '<br>' + time(b[1] * 1e-6) + ' → '
            + time(b[2] * 1e-6) + (b[5] ? '<br>' + fmt(b[5], 'B') : ''); } },
          dataZoom: [{ type: 'slider', filterMode: 'weakFilter', xAxisIndex: 0 },
                     { type: 'inside', filterMode: 'weakFilter', xAxisIndex: 0 },
                     { type: 'slider', yAxisIndex: 0, filterMode: 'weakFilter', width: 14, right: 8 }],
          grid: { left: 160, right: 40, top: 20, bottom: 60 },
          xAxis: { type: 'value', name: 'µs', min: 0, scale: true },
          yAxis: { type: 'category', data: data.tracks, inverse: true },
          series: [{ type: 'custom', encode: { x: [1, 2], y: 0 }, data: data.bars, large: true, renderItem: (params, api) => {
            const y = api.value(0), a = api.coord([api.value(1), y]), b = api.coord([api.value(2), y]);
            const h = api.size([0, 1])[1] * 0.7;
            const shape = echarts.graphic.clipRectByRect({ x: a[0], y: a[1] - h / 2, width: Math.max(1, b[0] - a[0]), height: h },
              { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
            return shape && { type: 'rect', shape, style: { fill: api.value(6) ? '#5470c6' : '#91cc75' } }; } }] });
        if (data.aggregated) document.getElementById('timeline-note').textContent +=
          ' Above 30,000 instructions, each track\'s nearby instructions are merged into one bar.';

        const roof = echarts.init(document.getElementById('roofline'));
        const r = data.roofline, ridge = r.bandwidth > 0 ? r.peak / r.bandwidth : 1;
        const xs = r.points.map(p => p.intensity).concat([ridge]);
        const lo = Math.min(...xs) / 4, hi = Math.max(...xs) * 4;
        roof.setOption({ animation: false,
          tooltip: { formatter: p => p.seriesName === 'operations' ? p.data.op + ' (line ' + p.data.line + ')<br>' + p.data.value[0]
            .toPrecision(3) + ' FLOP/B, ' + fmt(p.data.value[1], 'FLOP/s') : p.seriesName },
          legend: { top: 0 }, grid: { left: 80, right: 40, top: 40 },
          xAxis: { type: 'log', name: 'arithmetic intensity (FLOP/byte)', nameLocation: 'middle', nameGap: 28, min: lo, max: hi,
            axisLabel: { formatter: v => String(Number(v.toPrecision(2))) } },
          yAxis: { type: 'log', name: 'achieved FLOP/s', axisLabel: { formatter: v => fmt(v, 'FLOP/s') } },
          series: [
            { name: 'roofline (peak ' + fmt(r.peak, 'FLOP/s') + ', ' + fmt(r.bandwidth, 'B/s') + ' into the units)', type: 'line',
              showSymbol: false, data: [[lo, lo * r.bandwidth], [ridge, r.peak], [hi, r.peak]] },
            { name: 'ridge point ' + ridge.toPrecision(3) + ' FLOP/B', type: 'scatter', symbol: 'diamond', symbolSize: 12,
              data: [[ridge, r.peak]] },
            { name: 'operations', type: 'scatter',
              data: r.points.map(p => ({ value: [p.intensity, p.achieved], op: p.op, line: p.line })) }] });

        const mem = echarts.init(document.getElementById('memory'));
        mem.setOption({ animation: false,
          tooltip: { trigger: 'axis', valueFormatter: v => fmt(v, 'B') }, legend: { top: 0 }, grid: { left: 90, right: 40, top: 40 },
          dataZoom: [{ type: 'inside' }, { type: 'slider' }],
          xAxis: { type: 'value', name: 'µs' }, yAxis: { type: 'value', name: 'live bytes', axisLabel: { formatter: v => fmt(v, 'B') } },
          series: data.live.map(m => ({ name: m.memory + ' (of ' + fmt(m.capacity, 'B') + ')', type: 'line', step: 'end',
            showSymbol: false, data: m.points })) });

        const util = echarts.init(document.getElementById('utilisation'));
        util.setOption({ animation: false,
          tooltip: { valueFormatter: v => (v * 100).toFixed(1) + '%' }, grid: { left: 160, right: 40 },
          xAxis: { type: 'value', max: 1, axisLabel: { formatter: v => (v * 100) + '%' } },
          yAxis: { type: 'category', inverse: true, data: data.utilisation.map(u => u.name) },
          series: [{ type: 'bar', data: data.utilisation.map(u => u.value) }] });

        const contracts = document.getElementById('contracts');
        if (data.contracts.length === 0) cell(contracts.insertRow(), 'the program states no contracts');
        data.contracts.forEach(c => { const row = contracts.insertRow(); cell(row, c.holds ? 'ok' : 'FAILED', c.holds ? 'ok' : 'failed');
          cell(row, 'assert ' + c.text); cell(row, 'measured ' + c.measured); cell(row, 'promised ' + c.promised); });
        const notes = document.getElementById('notes');
        (data.notes.length ? data.notes : ['none']).forEach(t => {
          const li = document.createElement('li'); li.textContent = t; notes.appendChild(li); });
        document.getElementById('verification').textContent = data.passed
          ? 'ok: ' + data.instructions + ' instructions checked' : data.violations.join('\n');
        window.addEventListener('resize', () => [gantt, roof, mem, util].forEach(c => c.resize()));
        document.body.dataset.rendered = 'true';
        """;
}
