// Charts with uPlot (the WebJar org.webjars.npm:uplot, served by the vault; decision 043), loaded on
// first use so pages without a chart do not pay for it. uPlot draws 86,400 points on a canvas fast.
import { h, clear, fmtTime, fmtValue, metricLabel, unitLabel } from './ui.js';

const UPLOT = '/webjars/uplot/1.6.30/dist/';
let loading = null;

/** Loads uPlot's script and stylesheet once (script and link elements: allowed by the CSP, 'self'). */
export function loadUplot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      document.head.appendChild(h('link', { rel: 'stylesheet', href: UPLOT + 'uPlot.min.css' }));
      const script = h('script', { src: UPLOT + 'uPlot.iife.min.js' });
      script.addEventListener('load', () => resolve(window.uPlot));
      script.addEventListener('error', () => { loading = null; reject(new Error('The chart library could not be loaded.')); });
      document.head.appendChild(script);
    });
  }
  return loading;
}

/** Series JSON (readings or buckets) → uPlot's columnar data, times in seconds. */
export function columns(series) {
  if (series.readings) {
    const n = series.readings.length;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = series.readings[i];
      x[i] = Date.parse(r.time) / 1000;
      y[i] = r.value;
    }
    return { data: [x, y], points: n, aggregated: false };
  }
  const buckets = series.buckets || [];
  const n = buckets.length;
  const x = new Float64Array(n);
  const mean = new Float64Array(n);
  const min = new Float64Array(n);
  const max = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = buckets[i];
    x[i] = Date.parse(b.start) / 1000;
    mean[i] = b.mean;
    min[i] = b.min;
    max[i] = b.max;
  }
  return { data: [x, mean, min, max], points: n, aggregated: true };
}

/** At most `rows` rows summarising the data for screen readers: time span, count, min, mean, max. */
export function summaryRows(cols, rows = 24) {
  const { data, points } = cols;
  if (points === 0) return [];
  const per = Math.ceil(points / rows);
  const out = [];
  for (let i = 0; i < points; i += per) {
    const end = Math.min(points, i + per);
    let lo = Infinity, hi = -Infinity, sum = 0;
    for (let j = i; j < end; j++) {
      const mean = data[1][j];
      lo = Math.min(lo, data.length > 2 ? data[2][j] : mean);
      hi = Math.max(hi, data.length > 2 ? data[3][j] : mean);
      sum += mean;
    }
    out.push({ from: data[0][i] * 1000, until: data[0][end - 1] * 1000, count: end - i, min: lo, mean: sum / (end - i), max: hi });
  }
  return out;
}

function accessibleTable(series, cols) {
  const unit = series.unit;
  const rows = summaryRows(cols);
  // The wrapper hides it: a table ignores width and overflow, so hidden itself it would still widen the page.
  return h('div', { class: 'visually-hidden' }, h('table', { 'data-chart-table': '' },
    h('caption', {}, `${metricLabel(series.metric)} from ${fmtTime(series.from)} to ${fmtTime(series.until)}, `
      + `${series.count} ${series.readings ? 'readings' : series.resolution + ' buckets'}, summarised in ${rows.length} rows`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'Until'),
      h('th', { scope: 'col' }, 'Lowest'), h('th', { scope: 'col' }, 'Average'), h('th', { scope: 'col' }, 'Highest'))),
    h('tbody', {}, rows.map(r => h('tr', {}, h('td', {}, fmtTime(r.from, true)), h('td', {}, fmtTime(r.until, true)),
      h('td', {}, fmtValue(r.min, unit)), h('td', {}, fmtValue(r.mean, unit)), h('td', {}, fmtValue(r.max, unit)))))));
}

/**
 * Draws one Series (the vault's readings JSON: raw readings, or buckets drawn as mean with a
 * min–max band) into el, replacing what was there. Dragging across the chart calls
 * onZoom(fromMs, untilMs) (the caller refetches at a finer resolution) instead of zooming locally.
 * Sets el.dataset.drawn = number of points and performance.mark('vv-chart-drawn') after the first
 * draw. Returns {destroy()}.
 */
export async function drawSeries(el, series, options = {}) {
  const uPlot = await loadUplot();
  if (el._vvChart) el._vvChart.destroy();
  clear(el);
  delete el.dataset.drawn;
  const cols = columns(series);
  const { data, points, aggregated } = cols;
  const unit = unitLabel(series.unit);
  el.setAttribute('role', 'figure');
  el.setAttribute('aria-label', `${metricLabel(series.metric)} chart`);
  const plotBox = h('div', { class: 'chart-plot', 'aria-hidden': 'true' });
  el.append(plotBox, accessibleTable(series, cols));
  if (points === 0) {
    plotBox.append(h('p', { class: 'chart-status' }, 'No readings in this range.'));
    el.dataset.drawn = '0';
    performance.mark('vv-chart-drawn');
    return { destroy() { clear(el); } };
  }

  let first = true;
  const seriesOpts = [
    {},
    { label: aggregated ? `${metricLabel(series.metric)} (average)` : metricLabel(series.metric),
      stroke: '#0a58ca', width: 1.5, points: { show: points < 200 },
      value: (u, v) => fmtValue(v, series.unit) },
  ];
  const opts = {
    width: Math.max(280, el.clientWidth || 600),
    height: Math.min(360, Math.max(220, Math.round((el.clientWidth || 600) * 0.55))),
    series: seriesOpts,
    axes: [{}, { label: unit, size: 60 }],
    // The range asked for, not just where data happens to be: a gap shows as a gap.
    scales: { x: { time: true, range: () => [Date.parse(series.from) / 1000, Date.parse(series.until) / 1000] } },
    legend: { live: true },
    cursor: { drag: { x: true, y: false, setScale: false } },
    hooks: {
      draw: [u => {
        if (first) {
          first = false;
          el.dataset.drawn = String(points);
          performance.mark('vv-chart-drawn');
        }
      }],
      setSelect: [u => {
        if (u.select.width > 2 && options.onZoom) {
          const from = u.posToVal(u.select.left, 'x') * 1000;
          const until = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          options.onZoom(Math.round(from), Math.round(until));
        }
      }],
    },
  };
  if (aggregated) {
    seriesOpts.push({ label: 'Lowest', stroke: 'rgba(10,88,202,0.35)', width: 1, value: (u, v) => fmtValue(v, series.unit) });
    seriesOpts.push({ label: 'Highest', stroke: 'rgba(10,88,202,0.35)', width: 1, value: (u, v) => fmtValue(v, series.unit) });
    opts.bands = [{ series: [3, 2], fill: 'rgba(10,88,202,0.12)' }];
  }
  const plot = new uPlot(opts, data, plotBox);
  const resize = new ResizeObserver(() => {
    const w = Math.max(280, el.clientWidth);
    if (Math.abs(w - plot.width) > 4) plot.setSize({ width: w, height: Math.min(360, Math.max(220, Math.round(w * 0.55))) });
  });
  resize.observe(el);
  const handle = {
    plot,
    destroy() {
      resize.disconnect();
      plot.destroy();
      el._vvChart = null;
    },
  };
  el._vvChart = handle;
  return handle;
}
