// Small DOM helpers shared by every page. No innerHTML anywhere: text is always text (no markup
// injection from data), and the CSP forbids inline style and script anyway.

/**
 * h('a', {href: '#/home', class: 'x', dataset: {metric: 'hr'}, onclick: fn}, 'text', child, [more])
 * Attributes: `class`, `dataset`, `on<event>` (listener), booleans (true → present, false/null → absent),
 * anything else via setAttribute. Children: strings, numbers, nodes, arrays, null/undefined/false skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Removes every child of el. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const shortFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** An instant (ISO string, Date or epoch ms) in the reader's locale and time zone. */
export function fmtTime(t, short = false) {
  if (t === null || t === undefined || t === '') return '–';
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return (short ? shortFormat : timeFormat).format(d);
}

/** A value with its unit, at most 4 significant digits beyond the integer part. */
export function fmtValue(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const n = Number(value);
  const text = Math.abs(n) >= 100 ? n.toFixed(Math.abs(n) >= 1000 ? 0 : 1).replace(/\.0$/, '')
    : Number(n.toPrecision(4)).toString();
  return unit ? `${text} ${unitLabel(unit)}` : text;
}

// The catalogue's canonical units (core metrics.csv) as people read them.
const UNIT_LABELS = { 'beat/min': 'bpm', '/min': '/min', 'Cel': '°C', '%': '%', 'mmHg': 'mmHg', 'mm[Hg]': 'mmHg',
  'mg/dL': 'mg/dL', 'count': 'steps', 'kg': 'kg' };
export function unitLabel(unit) {
  return UNIT_LABELS[unit] ?? unit;
}

// The catalogue's display names (core metrics.csv); an unknown code is shown readably.
const METRIC_NAMES = {
  heart_rate: 'Heart rate', spo2: 'Oxygen saturation (SpO₂)', body_temperature: 'Body temperature',
  respiratory_rate: 'Respiratory rate', systolic_bp: 'Systolic blood pressure', diastolic_bp: 'Diastolic blood pressure',
  blood_glucose: 'Blood glucose', steps: 'Steps', body_weight: 'Body weight',
};

/** "heart_rate" → "Heart rate". */
export function metricLabel(code) {
  if (METRIC_NAMES[code]) return METRIC_NAMES[code];
  const s = String(code).replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Says msg to screen readers through the page's aria-live region. */
export function announce(msg) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A separate task, so the same message twice is still announced.
  setTimeout(() => { region.textContent = msg; }, 50);
}

/** A sentence for an error: the problem's detail (the vault writes them for people) or a fallback. */
export function problemText(err) {
  if (!err) return 'Something went wrong.';
  const p = err.problem;
  if (p) {
    const fields = Array.isArray(p.errors) && p.errors.length
      ? ' (' + p.errors.map(e => `${e.field}: ${e.message}`).join('; ') + ')' : '';
    return (p.detail || p.title || `The vault refused (${err.status}).`) + (p.detail ? '' : fields);
  }
  if (err.status) return `The vault answered ${err.status}.`;
  if (err instanceof TypeError) return 'The vault could not be reached. Check the connection and try again.';
  return err.message || 'Something went wrong.';
}

/** An element with role=alert for an error (empty until shown). */
export function alertBox(err) {
  return h('div', { role: 'alert' }, err ? problemText(err) : null);
}

/** Shows err in the page's alert region (made if missing) and announces it. */
export function showError(root, err) {
  let box = root.querySelector('[role=alert]');
  if (!box) {
    box = alertBox(null);
    root.prepend(box);
  }
  box.textContent = problemText(err);
}

/** A labelled form field: label + control, the control's id tied to the label. */
export function field(labelText, control, hint) {
  const id = control.id || ('f-' + Math.random().toString(36).slice(2, 9));
  control.id = id;
  const hintEl = hint ? h('div', { class: 'muted', id: id + '-hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, labelText), control, hintEl);
}

/** A page heading that receives focus after navigation (tabindex -1: focusable, not in tab order). */
export function heading(text) {
  return h('h1', { tabindex: '-1' }, text);
}
