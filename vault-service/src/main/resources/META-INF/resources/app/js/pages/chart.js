// One metric over any range, with zoom: drag across the chart (or use the buttons) and the page
// fetches that range again at the resolution its span calls for — raw up to ~26 h, minute up to a
// few days, hour up to a year, day beyond — stepping coarser when the vault refuses a read as too
// many readings (vitalvault.reads.max-raw-points). The range lives in the hash:
// #/chart/<metric>?from=<ISO>&until=<ISO>, so a zoomed view can be bookmarked or reloaded.
import { h, heading, fmtTime, fmtValue, metricLabel, announce, problemText } from '../ui.js';
import { drawSeries, loadUplot } from '../chart.js';
import { ApiError } from '../api.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const RESOLUTIONS = ['raw', 'minute', 'hour', 'day'];
const PRESETS = [['1h', '1 hour', HOUR], ['24h', '24 hours', DAY], ['7d', '7 days', 7 * DAY], ['30d', '30 days', 30 * DAY],
  ['1y', '1 year', 365 * DAY]];
const SHORTEST = 60_000;
const LONGEST = 3660 * DAY;

/** The resolution a span calls for (the vault refuses raw and minute reads over 31 days anyway). */
export function resolutionFor(spanMs) {
  if (spanMs <= 26 * HOUR) return 'raw';
  if (spanMs <= 4 * DAY) return 'minute';
  if (spanMs <= 366 * DAY) return 'hour';
  return 'day';
}

function parseInstant(value) {
  if (value === undefined || value === null || value === '') return null;
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(n) ? n : null;
}

/** A Date as the value of an <input type="datetime-local"> in the reader's time zone. */
function localInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export async function render(root, ctx) {
  // The chart library loads while the data is asked for, not after it arrived.
  loadUplot().catch(() => { /* drawSeries says so when it needs it */ });
  const metric = ctx.params.metric;
  const now = Date.now();
  let until = parseInstant(ctx.params.until) ?? now;
  let from = parseInstant(ctx.params.from) ?? (until - DAY);
  let chosen = RESOLUTIONS.includes(ctx.params.resolution) ? ctx.params.resolution : 'auto';
  let request = 0;

  const title = heading(metricLabel(metric));
  const alert = h('div', { role: 'alert' });
  const status = h('p', { class: 'chart-status', id: 'chart-status', 'aria-live': 'polite' });
  const chartEl = h('div', { id: 'chart', class: 'chart-box' });
  const summary = h('p', { id: 'chart-summary' });

  const presetButtons = PRESETS.map(([key, label, span]) => h('button', {
    type: 'button', class: 'secondary', dataset: { preset: key }, 'aria-pressed': 'false',
    // A preset is a range to look at: its resolution follows the span again.
    onclick: () => { chosen = 'auto'; resolutionSelect.value = 'auto'; setRange(Date.now() - span, Date.now()); },
  }, label));
  const zoomIn = h('button', { type: 'button', class: 'secondary', id: 'zoom-in', onclick: () => zoom(0.5) }, 'Zoom in');
  const zoomOut = h('button', { type: 'button', class: 'secondary', id: 'zoom-out', onclick: () => zoom(2) }, 'Zoom out');
  const earlier = h('button', { type: 'button', class: 'secondary', id: 'earlier', onclick: () => pan(-0.5) }, '← Earlier');
  const later = h('button', { type: 'button', class: 'secondary', id: 'later', onclick: () => pan(0.5) }, 'Later →');

  const fromInput = h('input', { type: 'datetime-local', id: 'range-from', name: 'from', required: true });
  const untilInput = h('input', { type: 'datetime-local', id: 'range-until', name: 'until', required: true });
  const resolutionSelect = h('select', { id: 'resolution', name: 'resolution' },
    h('option', { value: 'auto' }, 'Automatic (by range)'), RESOLUTIONS.map(r => h('option', { value: r }, r)));
  resolutionSelect.value = chosen;
  const rangeForm = h('form', { class: 'range-form', 'aria-label': 'Choose a range' },
    h('div', {}, h('label', { for: 'range-from' }, 'From'), fromInput),
    h('div', {}, h('label', { for: 'range-until' }, 'Until'), untilInput),
    h('div', {}, h('label', { for: 'resolution' }, 'Resolution'), resolutionSelect),
    h('div', {}, h('button', { type: 'submit', id: 'range-show' }, 'Show')));
  rangeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = Date.parse(fromInput.value);
    const u = Date.parse(untilInput.value);
    chosen = resolutionSelect.value;
    if (!Number.isFinite(f) || !Number.isFinite(u) || f >= u) {
      alert.textContent = '"From" must be a time before "Until".';
      fromInput.focus();
      return;
    }
    setRange(f, u);
  });

  root.append(title,
    h('p', {}, h('a', { href: '#/home' }, '← All metrics')),
    alert,
    h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Range' }, presetButtons),
    h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Zoom and move' }, zoomIn, zoomOut, earlier, later),
    h('div', { class: 'toolbar' }, rangeForm),
    h('p', { class: 'muted' }, 'Tip: drag across the chart to zoom into that part.'),
    status, chartEl, summary);

  const ownerId = await ctx.session.ownerId();

  function clamp(f, u) {
    let span = Math.min(Math.max(u - f, SHORTEST), LONGEST);
    const end = Math.min(u, Date.now() + HOUR);
    return [Math.round(end - span), Math.round(end)];
  }

  function zoom(factor) {
    const mid = (from + until) / 2;
    const half = (until - from) * factor / 2;
    setRange(mid - half, mid + half);
  }

  function pan(share) {
    const shift = (until - from) * share;
    setRange(from + shift, until + shift);
  }

  function setRange(f, u) {
    [from, until] = clamp(f, u);
    load();
  }

  async function load() {
    const mine = ++request;
    alert.textContent = '';
    fromInput.value = localInput(from);
    untilInput.value = localInput(until);
    for (const b of presetButtons) {
      const span = PRESETS.find(p => p[0] === b.dataset.preset)[2];
      b.setAttribute('aria-pressed', String(Math.abs((until - from) - span) < 60_000 && Math.abs(until - Date.now()) < 5 * 60_000));
    }
    ctx.updateQuery({ from: new Date(from).toISOString(), until: new Date(until).toISOString(),
      resolution: chosen === 'auto' ? null : chosen });
    const asked = chosen === 'auto' ? resolutionFor(until - from) : chosen;
    let resolution = asked;
    status.textContent = `Loading ${metricLabel(metric).toLowerCase()} (${resolution})…`;
    root.setAttribute('aria-busy', 'true');
    let series = null;
    while (series === null) {
      try {
        const q = new URLSearchParams({ metric, from: new Date(from).toISOString(), until: new Date(until).toISOString(),
          resolution });
        series = await ctx.api.get(`/owners/${ownerId}/readings?${q}`);
      } catch (e) {
        const coarser = RESOLUTIONS[RESOLUTIONS.indexOf(resolution) + 1];
        // Too many readings for raw (or minute), or a span too long for it: one step coarser.
        if (e instanceof ApiError && e.status === 400 && coarser
            && (e.code === 'too-many-readings' || (e.problem && (e.problem.errors || []).some(x => x.field === 'from' && /longer/.test(x.message))))) {
          resolution = coarser;
          continue;
        }
        if (mine !== request || !ctx.current()) return;
        root.removeAttribute('aria-busy');
        status.textContent = '';
        alert.textContent = problemText(e);
        root.dataset.ready = 'true';
        return;
      }
    }
    if (mine !== request || !ctx.current()) return;
    await drawSeries(chartEl, series, {
      onZoom: (f, u) => {
        chosen = 'auto';
        resolutionSelect.value = 'auto';
        setRange(f, u);
      },
    });
    if (mine !== request || !ctx.current()) return;
    root.removeAttribute('aria-busy');
    const what = series.readings ? `${series.count.toLocaleString()} readings` : `${series.count.toLocaleString()} ${series.resolution} averages`;
    const stepped = resolution !== asked ? `; ${asked} would be too many readings for this range` : '';
    status.textContent = `${what} from ${fmtTime(series.from)} to ${fmtTime(series.until)} (${series.resolution}${stepped}).`;
    summary.textContent = summaryText(series);
    root.dataset.ready = 'true';
    announce(status.textContent);
  }

  await load();
}

function summaryText(series) {
  const values = series.readings ? series.readings.map(r => r.value) : (series.buckets || []).map(b => b.mean);
  if (values.length === 0) return 'No readings in this range.';
  let lo = Infinity, hi = -Infinity, sum = 0;
  for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); sum += v; }
  if (!series.readings) {
    lo = Math.min(...series.buckets.map(b => b.min));
    hi = Math.max(...series.buckets.map(b => b.max));
  }
  return `Lowest ${fmtValue(lo, series.unit)}, highest ${fmtValue(hi, series.unit)}, average ${fmtValue(sum / values.length, series.unit)}.`;
}
