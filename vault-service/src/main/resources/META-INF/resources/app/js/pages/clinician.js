// #/clinician: break-glass for a clinician. The emergency code and a reason open one owner's latest
// values and last 24 h, read-only, until the episode expires; the owner is told at once.
import { h, fmtTime, fmtValue, announce, problemText } from '../ui.js';
import { drawSeries } from '../chart.js';
import { metricName, setAlert } from '../carekit.js';

const STORE = 'vv-emergency-episode';
const REASON_MIN = 10;
const REASON_MAX = 500;

export async function render(root, ctx) {
  const alertEl = h('div', { role: 'alert', class: 'alert', hidden: '' });
  root.replaceChildren(h('h1', {}, 'Emergency access'), alertEl);
  const episode = stored();
  if (episode && Date.parse(episode.expiresAt) > Date.now()) {
    await renderEpisode(root, ctx, alertEl, episode);
  } else {
    sessionStorage.removeItem(STORE);
    renderOpenForm(root, ctx, alertEl);
  }
  root.dataset.ready = 'true';
}

function stored() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE) || 'null');
  } catch (e) {
    return null;
  }
}

function renderOpenForm(root, ctx, alertEl) {
  const code = h('input', { id: 'emergency-code-input', type: 'text', required: '', autocomplete: 'off',
    spellcheck: 'false', autocapitalize: 'characters' });
  const reason = h('textarea', { id: 'emergency-reason', required: '', rows: '3', minlength: String(REASON_MIN),
    maxlength: String(REASON_MAX), 'aria-describedby': 'reason-help' });
  const help = h('p', { id: 'reason-help', class: 'muted' },
    `Why you need it, ${REASON_MIN} to ${REASON_MAX} characters. It is shown to the patient and recorded with `
    + 'everything you read.');
  const submit = h('button', { type: 'submit' }, 'Open emergency access');
  const form = h('form', { class: 'stack', 'aria-labelledby': 'open-heading' },
    h('h2', { id: 'open-heading' }, 'Open a patient\'s data'),
    h('p', {}, 'Use this only when the patient cannot consent. You get their latest values and the last 24 hours, '
      + 'read-only, for a limited time. The patient is notified at once.'),
    h('div', { class: 'field' }, h('label', { for: 'emergency-code-input' }, 'Patient\'s emergency code'), code),
    h('div', { class: 'field' }, h('label', { for: 'emergency-reason' }, 'Reason'), reason, help),
    submit);
  root.append(form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setAlert(alertEl, '');
    const r = reason.value.trim();
    if (!code.value.trim()) {
      setAlert(alertEl, 'Please enter the patient\'s emergency code.');
      code.focus();
      return;
    }
    if (r.length < REASON_MIN || r.length > REASON_MAX) {
      setAlert(alertEl, `Please give a reason of ${REASON_MIN} to ${REASON_MAX} characters.`);
      reason.focus();
      return;
    }
    submit.disabled = true;
    try {
      const episode = await ctx.api.post('/emergency/episodes', { emergencyCode: code.value.trim(), reason: r });
      sessionStorage.setItem(STORE, JSON.stringify(episode));
      announce(`Emergency access open until ${fmtTime(episode.expiresAt)}.`);
      form.remove();
      await renderEpisode(root, ctx, alertEl, episode);
    } catch (err) {
      setAlert(alertEl, err.status === 404
        ? 'No emergency access with this code: it is mistyped, or the patient has not turned emergency access on.'
        : problemText(err));
      submit.disabled = false;
    }
  });
}

async function renderEpisode(root, ctx, alertEl, episode) {
  const base = `/emergency/episodes/${episode.id}`;
  const close = h('button', { type: 'button', 'data-action': 'close-episode' }, 'Done: close');
  close.addEventListener('click', () => {
    sessionStorage.removeItem(STORE);
    announce('Closed.');
    ctx.navigate('#/clinician');
  });
  const section = h('section', { 'aria-labelledby': 'episode-heading', 'data-episode': episode.id },
    h('h2', { id: 'episode-heading', tabindex: '-1' }, 'Patient data (read-only)'),
    h('p', { class: 'notice' }, 'Access ends ',
      h('strong', { 'data-episode-expires': episode.expiresAt }, fmtTime(episode.expiresAt)), '.'),
    close);
  root.append(section);
  let latest;
  try {
    latest = await ctx.api.get(`${base}/latest`);
  } catch (err) {
    ended(alertEl, err);
    return;
  }
  const chartHeading = h('h3', { id: 'chart-heading' }, 'Last 24 hours');
  const chartEl = h('div', { id: 'chart', class: 'chart', role: 'img', 'aria-label': 'Last 24 hours' });
  const chartNote = h('p', { 'aria-live': 'polite' });
  const showChart = async (metric) => {
    chartHeading.textContent = `${metricName(metric)}: last 24 hours`;
    chartEl.setAttribute('aria-label', chartHeading.textContent);
    // Per minute: 1,440 points show a day's course; the vault limits the range to the last 24 h itself.
    const params = new URLSearchParams({ metric, resolution: 'minute' });
    try {
      const series = await ctx.api.get(`${base}/readings?${params}`);
      chartNote.textContent = `${series.count} values (per ${series.resolution}) from ${fmtTime(series.from)} `
        + `to ${fmtTime(series.until)}.`;
      drawSeries(chartEl, series, {});
    } catch (err) {
      ended(alertEl, err);
    }
  };
  const metrics = latest.map((l) => l.metric);
  section.append(
    h('h3', {}, 'Latest values'),
    latest.length === 0 ? h('p', { 'data-empty': 'latest' }, 'No values in the last 24 hours.')
      : h('ul', { class: 'metrics', 'aria-live': 'polite' }, ...latest.map((l) => {
        const button = h('button', { type: 'button', class: 'link', 'data-metric': l.metric },
          metricName(l.metric));
        button.addEventListener('click', () => showChart(l.metric));
        return h('li', {}, button, ' ',
          h('span', { 'data-latest': l.metric }, fmtValue(l.value, l.unit)),
          h('span', { class: 'muted' }, ` at ${fmtTime(l.time)}`));
      })),
    chartHeading, chartNote, chartEl);
  if (metrics.length > 0) {
    await showChart(metrics.includes('heart_rate') ? 'heart_rate' : metrics[0]);
  }
}

function ended(alertEl, err) {
  if (err.status === 404) {
    sessionStorage.removeItem(STORE);
    setAlert(alertEl, 'This emergency access has ended (the time was up, or the patient ended it).');
  } else {
    setAlert(alertEl, problemText(err));
  }
}
