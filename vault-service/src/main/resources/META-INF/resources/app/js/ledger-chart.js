// The privacy ledger as a chart: for each month of the rolling year, the ε spent on the owner so
// far (dark) and what remains of the yearly cap (light), as stacked SVG bars — plus the same
// numbers as a table, which is what screen readers read.

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, String(v)));
  children.forEach((c) => el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c));
  return el;
}

const round = (x) => Math.round(x * 1000) / 1000;

/**
 * Monthly periods of the ledger's year: [{label, start, end, charged, spent, remaining}], where
 * spent is cumulative up to the period's end and remaining = max(0, cap − spent).
 */
export function periods(ledger) {
  const until = new Date(ledger.year.until);
  const from = new Date(ledger.year.from);
  const out = [];
  let start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  let spent = 0;
  const charges = (ledger.charges || []).map((c) => ({ at: Date.parse(c.chargedAt), eps: c.epsilon }));
  while (start < until) {
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const charged = charges.filter((c) => c.at >= start.getTime() && c.at < end.getTime()).reduce((a, c) => a + c.eps, 0);
    spent += charged;
    out.push({
      label: start.toLocaleDateString('en-GB', { timeZone: 'UTC', month: 'short', year: '2-digit' }),
      start, end, charged: round(charged), spent: round(spent), remaining: round(Math.max(0, ledger.yearlyCap - spent)),
    });
    start = end;
  }
  return out;
}

/** Draws into el: an SVG (role img, labelled with the totals) and a table of the same periods. */
export function drawLedger(el, ledger) {
  const ps = periods(ledger);
  const cap = Math.max(ledger.yearlyCap, ...ps.map((p) => p.spent), 0.0001);
  const W = 640;
  const H = 240;
  const left = 40;
  const bottom = 30;
  const plotH = H - bottom - 10;
  const bw = (W - left - 10) / Math.max(ps.length, 1);
  const y = (v) => 10 + plotH - (v / cap) * plotH;
  const label = `Privacy budget over the last 365 days: ε ${round(ledger.spent)} spent of ${round(ledger.yearlyCap)}, ε ${round(ledger.remaining)} remaining.`;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'vv-ledger-svg', preserveAspectRatio: 'xMidYMid meet' },
    s('title', {}, label),
    s('line', { x1: left, y1: y(0), x2: W - 10, y2: y(0), stroke: 'currentColor' }),
    s('text', { x: left - 4, y: y(0) + 4, 'text-anchor': 'end', 'font-size': 11, fill: 'currentColor' }, '0'),
    s('text', { x: left - 4, y: y(cap) + 4, 'text-anchor': 'end', 'font-size': 11, fill: 'currentColor' }, String(round(cap))));
  ps.forEach((p, i) => {
    const x = left + i * bw + bw * 0.15;
    const w = bw * 0.7;
    svg.appendChild(s('rect', { x, y: y(p.spent + p.remaining), width: w, height: Math.max(0, y(p.spent) - y(p.spent + p.remaining)),
      class: 'vv-bar-remaining', fill: '#9fd3b5' }, s('title', {}, `${p.label}: ε ${p.remaining} remaining`)));
    svg.appendChild(s('rect', { x, y: y(p.spent), width: w, height: Math.max(0, y(0) - y(p.spent)), class: 'vv-bar-spent', fill: '#8a2b4f' },
      s('title', {}, `${p.label}: ε ${p.spent} spent so far (${p.charged} this month)`)));
    svg.appendChild(s('text', { x: x + w / 2, y: H - 12, 'text-anchor': 'middle', 'font-size': 10, fill: 'currentColor' }, p.label));
  });
  const table = document.createElement('table');
  table.className = 'vv-table';
  const cap2 = document.createElement('caption');
  cap2.textContent = 'Privacy budget per month (ε)';
  table.appendChild(cap2);
  const head = table.createTHead().insertRow();
  ['Month', 'Charged that month', 'Spent so far', 'Remaining'].forEach((t) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t;
    head.appendChild(th);
  });
  const body = table.createTBody();
  ps.forEach((p) => {
    const r = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = p.label;
    r.appendChild(th);
    [p.charged, p.spent, p.remaining].forEach((v) => { r.insertCell().textContent = String(v); });
  });
  const legend = document.createElement('p');
  legend.className = 'vv-legend';
  const key = (cls) => Object.assign(document.createElement('span'), { className: 'vv-key ' + cls });
  legend.append(key('vv-key-spent'), ' spent so far ', key('vv-key-remaining'), ' remaining');
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'The numbers as a table';
  details.append(summary, table);
  el.replaceChildren(svg, legend, details);
  el.dataset.drawn = String(ps.length);
  return ps;
}
