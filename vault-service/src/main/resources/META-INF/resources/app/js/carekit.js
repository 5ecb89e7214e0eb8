// Small pieces shared by the device, caregiver and emergency pages: the metric names, plain-language
// texts for resolutions, windows and durations, copy-to-clipboard fields and in-page confirmations.
// No network here; pages call the api themselves.
import { h, announce, metricLabel } from './ui.js';

// These pages' styles, linked once (a <link> to our own origin: allowed by style-src 'self').
if (!document.querySelector('link[data-carepages]')) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL('../css/carepages.css', import.meta.url).href;
  link.dataset.carepages = '';
  document.head.appendChild(link);
}

/** The metric catalogue's codes (core metrics.csv), in the order people expect; names from the shell. */
export const METRICS = ['heart_rate', 'spo2', 'body_temperature', 'respiratory_rate', 'systolic_bp', 'diastolic_bp',
  'blood_glucose', 'steps', 'body_weight'].map((code) => [code, metricLabel(code)]);

export function metricName(code) {
  return metricLabel(code);
}

/** Finest first: a caregiver allowed "hour" may read hour and day, never minute or raw. */
export const RESOLUTIONS = ['raw', 'minute', 'hour', 'day'];

const RESOLUTION_TEXT = {
  raw: 'every single reading',
  minute: 'averages per minute',
  hour: 'averages per hour',
  day: 'averages per day',
};

export function resolutionText(resolution) {
  return RESOLUTION_TEXT[resolution] || resolution;
}

/** The allowed resolutions at or coarser than {@code finest}. */
export function allowedResolutions(finest) {
  const i = Math.max(0, RESOLUTIONS.indexOf(finest));
  return RESOLUTIONS.slice(i);
}

/** The coarser of two resolutions. */
export function coarser(a, b) {
  return RESOLUTIONS.indexOf(a) >= RESOLUTIONS.indexOf(b) ? a : b;
}

export function dateText(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

export function windowText(window) {
  if (!window) return 'all of your data, past and future';
  const from = window.from ? dateText(window.from) : 'the beginning';
  const until = window.until ? dateText(window.until) : 'now on (including new readings)';
  return window.until ? `data from ${from} to ${until}` : `data from ${from} on`;
}

/** "PT1H" → "1 hour", "PT30M" → "30 minutes", "P1D" → "1 day"; anything else shown as given. */
export function durationText(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso || '');
  if (!m) return iso || '';
  const parts = [];
  const add = (n, unit) => { if (n && Number(n) > 0) parts.push(`${Number(n)} ${unit}${Number(n) === 1 ? '' : 's'}`); };
  add(m[1], 'day'); add(m[2], 'hour'); add(m[3], 'minute'); add(m[4], 'second');
  return parts.join(' ') || iso;
}

/**
* A read-only field with a copy button: for secrets shown once (credentials, invite and emergency
* codes). The value sits in a readonly input so people without a clipboard API can still select it.
*/
export function copyField(label, value, key) {
  const id = `copy-${key}`;
  const input = h('input', { id, type: 'text', readonly: '', value, 'data-secret': key, class: 'secret', spellcheck: 'false' });
  input.value = value;
  const button = h('button', { type: 'button', class: 'copy', 'aria-describedby': id }, `Copy ${label.toLowerCase()}`);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch (e) {
      input.select();
      document.execCommand('copy');
    }
    announce(`${label} copied`);
  });
  return h('div', { class: 'field copyable' }, h('label', { for: id }, label), input, button);
}

/** A block of text (e.g. a PEM) that can be copied as a whole. */
export function copyBlock(label, value, key) {
  const id = `copy-${key}`;
  const area = h('textarea', { id, readonly: '', rows: '4', 'data-secret': key, class: 'secret', spellcheck: 'false' });
  area.value = value;
  const button = h('button', { type: 'button', class: 'copy' }, `Copy ${label.toLowerCase()}`);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch (e) {
      area.select();
      document.execCommand('copy');
    }
    announce(`${label} copied`);
  });
  return h('div', { class: 'field copyable' }, h('label', { for: id }, label), area, button);
}

/**
* An in-page confirmation (no window.confirm: it is keyboard- and screen-reader-friendly and
* testable). Replaces {@code host}'s content until answered; resolves true or false.
*/
export function confirmInline(host, question, yesLabel) {
  return new Promise((resolve) => {
    const before = Array.from(host.childNodes);
    const yes = h('button', { type: 'button', class: 'danger', 'data-confirm': 'yes' }, yesLabel);
    const no = h('button', { type: 'button', 'data-confirm': 'no' }, 'Cancel');
    const box = h('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm' }, h('p', {}, question), yes, ' ', no);
    const restore = (answer) => {
      box.remove();
      before.forEach((n) => host.appendChild(n));
      resolve(answer);
    };
    yes.addEventListener('click', () => restore(true));
    no.addEventListener('click', () => restore(false));
    before.forEach((n) => n.remove());
    host.appendChild(box);
    no.focus();
  });
}

/** Shows an error in the page's alert region (role=alert; screen readers read it at once). */
export function setAlert(alertEl, text) {
  alertEl.textContent = text;
  alertEl.hidden = !text;
}
