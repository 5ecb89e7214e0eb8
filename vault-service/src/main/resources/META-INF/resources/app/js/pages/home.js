// Home: the latest value of every metric the owner has, each a link to its chart.
import { h, heading, fmtTime, fmtValue, metricLabel, announce } from '../ui.js';

export async function render(root, ctx) {
  root.append(heading('Your latest values'));
  const alert = h('div', { role: 'alert' });
  const list = h('ul', { class: 'metrics', 'aria-label': 'Latest value of each metric' });
  root.append(alert, list);
  const ownerId = await ctx.session.ownerId();
  const latest = await ctx.api.get(`/owners/${ownerId}/readings/latest`);
  if (!ctx.current()) return;
  if (latest.length === 0) {
    root.append(h('p', { class: 'notice', id: 'no-data' }, 'No readings yet. ',
      h('a', { href: '#/devices' }, 'Pair a device'), ' and its readings will show here.'));
  }
  latest.sort((a, b) => a.metric.localeCompare(b.metric));
  for (const m of latest) {
    list.append(h('li', {}, h('a', { href: `#/chart/${encodeURIComponent(m.metric)}`, dataset: { metric: m.metric } },
      h('span', { class: 'metric-name' }, metricLabel(m.metric)),
      h('span', { class: 'metric-value', dataset: { latest: m.metric } }, fmtValue(m.value, m.unit)),
      h('span', { class: 'metric-time' }, h('time', { datetime: m.time }, fmtTime(m.time))))));
  }
  root.dataset.ready = 'true';
  performance.mark('vv-home-ready');
  announce(latest.length === 1 ? 'One metric shown.' : `${latest.length} metrics shown.`);
}
