// #/devices: the owner's sensors. Pair one (its settings shown once, also as a QR code), see when
// each was last heard from and what it measures, read why records were refused, unpair.
import { h, fmtTime, fmtValue, announce, problemText } from '../ui.js';
import { metricName, copyField, copyBlock, confirmInline, setAlert, dateText } from '../carekit.js';

const FIRST_READING_POLL_MS = 2000;

export async function render(root, ctx) {
  const { api } = ctx;
  const alertEl = h('div', { role: 'alert', class: 'alert', hidden: '' });
  const nameInput = h('input', { id: 'pair-name', name: 'name', type: 'text', required: '', maxlength: '100',
    autocomplete: 'off', placeholder: 'e.g. chest strap' });
  const pairButton = h('button', { type: 'submit' }, 'Pair device');
  const form = h('form', { class: 'stack', 'aria-labelledby': 'pair-heading' },
    h('h2', { id: 'pair-heading' }, 'Pair a new device'),
    h('p', {}, 'Give the device a name you will recognise. You then get the settings to put into it: '
      + 'they are shown only once.'),
    h('div', { class: 'field' }, h('label', { for: 'pair-name' }, 'Device name'), nameInput),
    pairButton);
  const pairingEl = h('section', { id: 'pairing', 'aria-live': 'polite', 'aria-labelledby': 'pairing-heading', hidden: '' });
  const listEl = h('div', { id: 'device-list' });

  root.replaceChildren(
    h('h1', {}, 'Devices'),
    alertEl,
    form,
    pairingEl,
    h('section', { 'aria-labelledby': 'list-heading' },
      h('h2', { id: 'list-heading' }, 'Your devices'),
      listEl));
  const owner = await ctx.session.ownerId();
  ctx = { ...ctx, owner };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setAlert(alertEl, '');
    const name = nameInput.value.trim();
    if (!name) {
      setAlert(alertEl, 'Please give the device a name.');
      nameInput.focus();
      return;
    }
    pairButton.disabled = true;
    try {
      const pairing = await api.post(`/owners/${owner}/devices`, { name });
      form.reset();
      showPairing(pairingEl, pairing, ctx);
      announce(`Device ${pairing.name} paired. Its settings are shown once, below.`);
      await loadList(listEl, ctx, alertEl);
    } catch (err) {
      setAlert(alertEl, problemText(err));
    } finally {
      pairButton.disabled = false;
    }
  });

  await loadList(listEl, ctx, alertEl);
  root.dataset.ready = 'true';
}

/** The pairing's settings, shown this once: the vault keeps only a hash of the credential. */
function showPairing(el, p, ctx) {
  const fields = [
    copyField('MQTT server', p.mqttUrl || '', 'mqttUrl'),
    copyField('Client id and user name', p.clientId || p.id, 'clientId'),
    copyField('Credential (password)', p.credential, 'credential'),
    copyField('Topic to publish readings to', p.topic, 'topic'),
    copyField('Topic for receipts', p.receiptTopic || '', 'receiptTopic'),
    copyField('MAC key (optional COSE signing)', p.macKey || '', 'macKey'),
  ];
  if (p.mqttCaPem) {
    fields.push(copyBlock('Broker CA certificate (PEM)', p.mqttCaPem, 'mqttCaPem'));
  }
  const qr = p.pairingQrSvg
    ? h('figure', { class: 'qr' },
      h('img', { src: 'data:image/svg+xml;base64,' + base64Utf8(p.pairingQrSvg), 'data-pairing': 'qr', width: '240',
        height: '240', alt: `QR code with the settings of ${p.name}: scan it with the device's set-up app` }),
      h('figcaption', {}, 'Scan with the device\'s set-up app.'
        + (p.mqttCaPem && !p.pairingQrIncludesCaPem ? ' The broker CA certificate is not in the code: copy it from above.' : '')))
    : null;
  const first = h('p', { 'data-first-reading': 'waiting', class: 'status' }, 'Waiting for the device\'s first reading…');
  const done = h('button', { type: 'button' }, 'I have saved these settings: hide them');
  done.addEventListener('click', () => {
    el.replaceChildren();
    el.hidden = true;
    announce('Pairing settings hidden.');
    document.getElementById('pair-name')?.focus();
  });
  el.replaceChildren(
    h('h2', { id: 'pairing-heading', tabindex: '-1' }, `Settings for ${p.name}`),
    h('p', { class: 'notice once', 'data-pairing': 'notice' },
      h('strong', {}, 'Shown only once. '),
      'Copy these settings into the device now. The vault keeps only a fingerprint of the credential: '
      + 'if you lose it, unpair the device and pair it again.'),
    h('div', { class: 'pairing-fields', 'data-pairing': p.id }, ...fields),
    ...(qr ? [qr] : []),
    first,
    done);
  el.hidden = false;
  el.querySelector('#pairing-heading').focus();
  watchFirstReading(el, first, p, ctx);
}

/** Polls the latest values while the settings are shown, until one comes from the new device. */
function watchFirstReading(el, statusEl, pairing, ctx) {
  const owner = ctx.owner;
  const tick = async () => {
    if (!el.isConnected || !statusEl.isConnected) return;
    try {
      const latest = await ctx.api.get(`/owners/${owner}/readings/latest`);
      const mine = latest.find((l) => l.device === pairing.id);
      if (mine) {
        statusEl.dataset.firstReading = 'received';
        statusEl.dataset.metric = mine.metric;
        statusEl.textContent = `First reading received: ${metricName(mine.metric)} `
          + `${fmtValue(mine.value, mine.unit)} at ${fmtTime(mine.time)}.`;
        announce(statusEl.textContent);
        return;
      }
    } catch (err) {
      // A failed poll is retried; the list's own errors are shown elsewhere.
    }
    setTimeout(tick, FIRST_READING_POLL_MS);
  };
  setTimeout(tick, FIRST_READING_POLL_MS);
}

async function loadList(listEl, ctx, alertEl) {
  const { api, owner } = ctx;
  let devices;
  let latest = [];
  try {
    [devices, latest] = await Promise.all([
      api.get(`/owners/${owner}/devices`),
      api.get(`/owners/${owner}/readings/latest`).catch(() => []),
    ]);
  } catch (err) {
    setAlert(alertEl, problemText(err));
    return;
  }
  if (devices.length === 0) {
    listEl.replaceChildren(h('p', { 'data-empty': 'devices' }, 'No device is paired yet.'));
    return;
  }
  listEl.replaceChildren(h('ul', { class: 'cards' }, ...devices.map((d) => deviceItem(d, latest, ctx, listEl, alertEl))));
}

function deviceItem(d, latest, ctx, listEl, alertEl) {
  const lastSeen = d.lastSeen ?? d.lastSeenAt;
  const metrics = latest.filter((l) => l.device === d.id);
  const rejectionsEl = h('div', { class: 'rejections', 'data-rejections': d.id, hidden: '' });
  const rejectionsButton = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': `rej-${d.id}` },
    'Refused records');
  rejectionsEl.id = `rej-${d.id}`;
  rejectionsButton.addEventListener('click', async () => {
    if (rejectionsButton.getAttribute('aria-expanded') === 'true') {
      rejectionsEl.hidden = true;
      rejectionsButton.setAttribute('aria-expanded', 'false');
      return;
    }
    rejectionsButton.setAttribute('aria-expanded', 'true');
    rejectionsEl.hidden = false;
    rejectionsEl.replaceChildren(h('p', {}, 'Loading…'));
    try {
      const r = await ctx.api.get(`/owners/${ctx.owner}/devices/${d.id}/rejections`);
      rejectionsEl.replaceChildren(rejectionsView(r));
    } catch (err) {
      rejectionsEl.replaceChildren(h('p', { role: 'alert' }, problemText(err)));
    }
  });
  const actions = h('div', { class: 'actions' });
  const unpairButton = h('button', { type: 'button', class: 'danger', 'data-unpair': d.id }, `Unpair ${d.name}`);
  unpairButton.addEventListener('click', async () => {
    const sure = await confirmInline(actions,
      `Unpair "${d.name}"? Its credential stops working at once; its past readings stay yours.`, 'Yes, unpair');
    if (!sure) return;
    try {
      await ctx.api.del(`/owners/${ctx.owner}/devices/${d.id}`);
      announce(`Device ${d.name} unpaired.`);
      await loadList(listEl, ctx, alertEl);
    } catch (err) {
      setAlert(alertEl, problemText(err));
    }
  });
  actions.append(rejectionsButton, ' ', unpairButton);
  return h('li', { class: 'card', 'data-device': d.id },
    h('h3', {}, d.name),
    h('dl', {},
      h('dt', {}, 'Last seen'),
      h('dd', { 'data-last-seen': d.id }, lastSeen ? fmtTime(lastSeen) : 'not yet'),
      h('dt', {}, 'Paired'),
      h('dd', {}, dateText(d.pairedAt)),
      h('dt', {}, 'Measures'),
      h('dd', { 'data-device-metrics': d.id }, metrics.length === 0 ? 'nothing received yet'
        : h('ul', { class: 'inline' }, ...metrics.map((m) => h('li', { 'data-device-metric': m.metric },
          h('a', { href: `#/chart/${m.metric}` }, metricName(m.metric)),
          ` ${fmtValue(m.value, m.unit)} at ${fmtTime(m.time)}`))))),
    actions,
    rejectionsEl);
}

function rejectionsView(r) {
  if (!r.total) {
    return h('p', { 'data-rejection-total': '0' },
      `No record from this device was refused${r.since ? ' since ' + dateText(r.since) : ''}.`);
  }
  return h('div', {},
    h('p', { 'data-rejection-total': String(r.total) },
      `${r.total} record${r.total === 1 ? ' was' : 's were'} refused${r.since ? ' since ' + dateText(r.since) : ''}:`),
    h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Refused records by reason'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col' }, 'Records'),
        h('th', { scope: 'col' }, 'Last time'))),
      h('tbody', {}, ...r.reasons.map((x) => h('tr', { 'data-rejection-reason': x.reason || x.code },
        h('td', {}, h('strong', {}, x.reason || x.code), h('br', {}), x.description || ''),
        h('td', {}, String(x.count)),
        h('td', {}, x.lastAt ? fmtTime(x.lastAt) : ''))))));
}

/** An SVG string as base64 (btoa wants Latin-1; the SVG is ASCII, but names could be anything). */
function base64Utf8(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary);
}
