// #/care/<delegationId>[/<metric>]: what one person shares with the caregiver, read-only. The page
// offers only what the sharing allows (its metrics, resolutions no finer than allowed, its data
// window) but the vault decides: a refusal (outside the sharing, revoked, expired) is shown as such.
import { h, fmtTime, fmtValue, announce, problemText } from '../ui.js';
import { drawSeries } from '../chart.js';
import { resolutionFor } from './chart.js';
import { metricName, resolutionText, windowText, dateText, allowedResolutions, coarser, setAlert, RESOLUTIONS }
  from '../carekit.js';

const DAY_MS = 86400000;

export async function render(root, ctx) {
  const { id, metric, query } = routeParts(ctx);
  const alertEl = h('div', { role: 'alert', class: 'alert', hidden: '' });
  const heading = h('h1', {}, 'Shared with me');
  root.replaceChildren(heading, alertEl);
  const base = `/caregivers/me/delegations/${id}`;

  let delegation;
  try {
    const list = await ctx.api.get('/caregivers/me/delegations');
    delegation = list.find((d) => d.id === id);
  } catch (err) {
    setAlert(alertEl, problemText(err));
    root.dataset.ready = 'true';
    return;
  }
  if (!delegation) {
    refused(root, alertEl, 'This sharing is not available to you: it was revoked, it expired, or it never existed.');
    return;
  }
  heading.textContent = `${delegation.sharedAs || 'Shared with you'}`;
  root.append(
    h('p', { 'data-scope': delegation.id }, `You may see ${delegation.metrics.map(metricName).join(', ')}, `
      + `at most ${resolutionText(delegation.finestResolution)}, ${windowText(delegation.window)}, `
      + `until ${dateText(delegation.expiresAt)}. Read-only; they see each time you look.`),
    h('p', {}, h('a', { href: '#/care' }, 'Back to everything shared with me')));

  if (!metric) {
    await renderLatest(root, ctx, base, delegation, alertEl);
  } else {
    await renderChart(root, ctx, base, delegation, metric, query, alertEl);
  }
  root.dataset.ready = 'true';
}

/** The route's delegation id and optional metric, and the hash query (from, until, resolution). */
function routeParts(ctx) {
  const p = ctx.params || {};
  return { id: p.delegationId, metric: p.metric, query: p };
}

function refused(root, alertEl, text) {
  setAlert(alertEl, text);
  root.dataset.refused = 'true';
  root.dataset.ready = 'true';
  announce(text);
}

async function renderLatest(root, ctx, base, delegation, alertEl) {
  let latest;
  try {
    latest = await ctx.api.get(`${base}/latest`);
  } catch (err) {
    refusedOrError(root, alertEl, err);
    return;
  }
  const byMetric = new Map(latest.map((l) => [l.metric, l]));
  root.append(h('section', { 'aria-labelledby': 'latest-heading', 'aria-live': 'polite' },
    h('h2', { id: 'latest-heading' }, 'Latest values'),
    h('ul', { class: 'metrics' }, ...delegation.metrics.map((m) => {
      const l = byMetric.get(m);
      return h('li', {},
        h('a', { href: `#/care/${delegation.id}/${m}`, 'data-metric': m }, metricName(m)),
        ' ',
        h('span', { 'data-latest': m }, l ? fmtValue(l.value, l.unit) : 'no value in the shared times'),
        l ? h('span', { class: 'muted' }, ` at ${fmtTime(l.time)}`) : '');
    }))));
}

async function renderChart(root, ctx, base, delegation, metric, query, alertEl) {
  const allowed = allowedResolutions(delegation.finestResolution);
  const now = Date.now();
  let until = query.until ? Date.parse(query.until) : now;
  let from = query.from ? Date.parse(query.from) : until - DAY_MS;
  // Open on the part of the last day the sharing covers; a window in the past opens on its last day.
  if (!query.from && delegation.window?.until && Date.parse(delegation.window.until) < from) {
    until = Date.parse(delegation.window.until);
    from = until - DAY_MS;
  }
  const select = h('select', { id: 'care-chart-resolution' },
    h('option', { value: '' }, 'chosen by the time span'),
    ...allowed.map((r) => h('option', { value: r }, `${r}: ${resolutionText(r)}`)));
  if (query.resolution) {
    if (!select.querySelector(`option[value="${query.resolution}"]`)) {
      select.append(h('option', { value: query.resolution }, query.resolution));
    }
    select.value = query.resolution;
  }
  const rangeText = h('p', { 'aria-live': 'polite', 'data-range': '' });
  const chartEl = h('div', { id: 'chart', class: 'chart', role: 'img', 'aria-label': `${metricName(metric)} chart` });
  root.append(h('section', { 'aria-labelledby': 'chart-heading' },
    h('h2', { id: 'chart-heading' }, metricName(metric)),
    h('div', { class: 'field' }, h('label', { for: 'care-chart-resolution' }, 'Detail'), select),
    rangeText,
    chartEl));

  const load = async (f, u) => {
    from = f;
    until = u;
    const auto = !select.value;
    ctx.updateQuery({ from: new Date(f).toISOString(), until: new Date(u).toISOString(),
      resolution: select.value || null });
    let resolution = select.value || coarser(resolutionFor(u - f), delegation.finestResolution);
    for (;;) {
      const params = new URLSearchParams({ metric, from: new Date(f).toISOString(), until: new Date(u).toISOString(),
        resolution });
      try {
        const series = await ctx.api.get(`${base}/readings?${params}`);
        setAlert(alertEl, '');
        delete root.dataset.refused;
        rangeText.textContent = `${series.count} ${series.count === 1 ? 'value' : 'values'} `
          + `(${resolutionText(series.resolution)}) from ${fmtTime(series.from)} to ${fmtTime(series.until)}.`;
        await drawSeries(chartEl, series, { onZoom: (zf, zu) => { select.value = ''; load(zf, zu); } });
        return true;
      } catch (err) {
        const next = RESOLUTIONS[RESOLUTIONS.indexOf(resolution) + 1];
        // Too many readings for this detail: one step coarser (only when the page chose it).
        if (auto && next && err.status === 400 && err.code === 'too-many-readings') {
          resolution = next;
          continue;
        }
        refusedOrError(root, alertEl, err);
        rangeText.textContent = '';
        return false;
      }
    }
  };
  select.addEventListener('change', () => load(from, until));
  await load(from, until);
}

function refusedOrError(root, alertEl, err) {
  if (err.status === 403) {
    refused(root, alertEl, 'Refused: this is outside what was shared with you (another measurement, more detail '
      + 'or other times than allowed). ' + (err.problem?.detail || ''));
  } else if (err.status === 404) {
    refused(root, alertEl, 'This sharing is no longer available to you: it was revoked or it expired.');
  } else {
    setAlert(alertEl, problemText(err));
  }
}
