// Small DOM helpers shared by the owner's pages (consent, uses, account, notifications): a
// receipt box that downloads and verifies a signed receipt, result regions, downloads of text.
// Kept apart from ui.js (the shell's) so these pages need only its documented functions.
import { h, announce, problemText, fmtTime } from './ui.js';
import { verifyReceipt } from './receipts.js';
import { summarizeReceipt, actionName } from './consent-summary.js';

export { h, announce, problemText, fmtTime };

/** Adds a listener and returns the element, so a control is made in one expression. */
export function on(el, type, fn) {
  el.addEventListener(type, fn);
  return el;
}

/** A button that runs an async action once at a time; disabled while it runs. */
export function actionButton(label, action, attrs = {}) {
  const b = h('button', Object.assign({ type: 'button' }, attrs), label);
  b.addEventListener('click', async () => {
    if (b.disabled) return;
    b.disabled = true;
    b.setAttribute('aria-busy', 'true');
    try {
      await action(b);
    } finally {
      b.disabled = false;
      b.removeAttribute('aria-busy');
    }
  });
  return b;
}

/** Replaces every child of el. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** An alert region that says what went wrong (role=alert is announced at once). */
export function showError(region, err) {
  fill(region, h('p', { role: 'alert', class: 'vv-error' }, problemText(err)));
}

/** A section with an h2 heading whose id labels it. */
export function section(id, title, ...children) {
  return h('section', { id, 'aria-labelledby': id + '-h' }, h('h2', { id: id + '-h' }, title), ...children);
}

/** Saves text as a file through a temporary blob: link (nothing leaves the page). */
export function saveText(filename, text, type = 'text/plain') {
  saveBlob(filename, new Blob([text], { type }));
}

export function saveBlob(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: '' });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The first 8 characters of an id, with the whole id as its title. */
export function shortId(id) {
  return h('code', { title: String(id) }, String(id).slice(0, 8));
}

/** Loads the pages' stylesheet once (a link element, so the CSP's style-src 'self' allows it). */
export function ensureStyles() {
  if (document.querySelector('link[data-vv-pages]')) return;
  document.head.appendChild(h('link', { rel: 'stylesheet', href: '/app/css/pages.css', 'data-vv-pages': '' }));
}

/** Sets the unread badge in the nav: the shell's hook when it has one, else the documented element. */
export function setUnread(ctx, count) {
  if (ctx && typeof ctx.setUnread === 'function') {
    ctx.setUnread(count);
    return;
  }
  const badge = document.getElementById('nav-unread');
  if (badge) {
    badge.textContent = count > 0 ? String(count) : '';
    badge.hidden = !(count > 0);
  }
}

/**
 * A signed receipt: what it is, its verification (automatic), a download and what it says.
 *
 * @param jws     the compact JWS
 * @param options {filename, names}
 */
export function receiptBox(jws, options = {}) {
  const status = h('span', { class: 'vv-verify', 'data-verified': 'pending', role: 'status' }, 'Checking the vault’s signature…');
  const details = h('div', { class: 'vv-receipt-details' });
  const box = h('div', { class: 'vv-receipt' },
    h('p', {}, h('strong', {}, 'Signature: '), status),
    h('p', {}, on(h('button', { type: 'button', class: 'vv-download-receipt' }, 'Download receipt'),
      'click', () => saveText(options.filename || 'receipt.jws', jws, 'application/jose'))),
    details);
  verifyReceipt(jws).then((r) => {
    box.dataset.receipt = (r.payload && r.payload.receiptId) || '';
    status.dataset.verified = String(r.verified);
    status.textContent = (r.verified ? 'verified — ' : 'NOT verified — ') + r.reason;
    status.className = 'vv-verify ' + (r.verified ? 'vv-ok' : 'vv-bad');
    if (r.payload) fill(details, receiptDetails(r.payload, options.names));
  });
  return box;
}

/** What a receipt's payload says, in sentences, with the JSON beneath. */
export function receiptDetails(payload, names) {
  const lines = [];
  if (payload.type === 'vitalvault.consent-receipt') {
    lines.push(h('p', {}, `${actionName(payload.action)} on ${fmtTime(payload.timestamp)} — consent ${String(payload.consent && payload.consent.id).slice(0, 8)}, version ${payload.consent && payload.consent.version}.`));
    lines.push(h('ul', { class: 'vv-summary' }, ...summarizeReceipt(payload, names).map((s) => h('li', { 'data-term': s.term }, s.text))));
  } else if (payload.type === 'vitalvault.erasure') {
    const d = payload.destroyed || {};
    lines.push(h('p', {}, `Vault ${payload.ownerId} erased on ${fmtTime(payload.erasedAt)}.`));
    lines.push(h('ul', { class: 'vv-summary' },
      ...Object.keys(d).map((k) => h('li', {}, `${k}: ${d[k]} destroyed`))));
  }
  lines.push(h('details', {}, h('summary', {}, 'The signed document (JSON)'),
    h('pre', { class: 'vv-json' }, JSON.stringify(payload, null, 2))));
  return lines;
}

/**
 * "Check a receipt": paste or choose a receipt saved earlier and see whether the vault signed
 * exactly that. The verdict goes to an aria-live region.
 */
export function receiptChecker(idPrefix, names) {
  const text = h('textarea', { id: idPrefix + '-jws', rows: '4', spellcheck: 'false', autocomplete: 'off' });
  const file = h('input', { id: idPrefix + '-file', type: 'file', accept: '.jws,.txt,application/jose,text/plain' });
  const out = h('div', { id: idPrefix + '-result', 'aria-live': 'polite', class: 'vv-check-result' });
  file.addEventListener('change', async () => {
    if (file.files && file.files[0]) text.value = (await file.files[0].text()).trim();
  });
  const check = actionButton('Check receipt', async () => {
    const r = await verifyReceipt(text.value.trim());
    const verdict = h('p', { class: 'vv-verify ' + (r.verified ? 'vv-ok' : 'vv-bad'), 'data-verified': String(r.verified) },
      h('strong', {}, r.verified ? 'verified' : 'NOT verified'), ' — ' + r.reason);
    fill(out, verdict, r.payload ? receiptDetails(r.payload, names) : null);
    announce(r.verified ? 'Receipt verified' : 'Receipt NOT verified');
  }, { id: idPrefix + '-check' });
  return h('div', { class: 'vv-checker' },
    h('p', {}, 'Paste a receipt you saved earlier (the text of its .jws file), or choose the file, to check that the vault signed exactly that.'),
    h('label', { for: idPrefix + '-jws' }, 'Receipt text'), text,
    h('label', { for: idPrefix + '-file' }, 'or a receipt file'), file,
    h('p', {}, check), out);
}

/**
 * A button for an action that cannot be undone lightly: the first press asks in the page (no
 * native dialog), with the confirming button focused; the second runs the action.
 */
export function confirmButton(label, question, confirmLabel, action, attrs = {}) {
  const wrap = h('span', { class: 'vv-confirm' });
  const first = h('button', Object.assign({ type: 'button' }, attrs), label);
  const ask = () => {
    const yes = actionButton(confirmLabel, async () => {
      await action();
    }, { 'data-confirm': 'yes' });
    const no = on(h('button', { type: 'button', 'data-confirm': 'no' }, 'Cancel'), 'click', () => {
      fill(wrap, first);
      first.focus();
    });
    fill(wrap, h('span', { role: 'group', 'aria-label': question }, h('span', {}, question + ' '), yes, ' ', no));
    yes.focus();
  };
  first.addEventListener('click', ask);
  wrap.appendChild(first);
  return wrap;
}

/** The signed-in owner's id, whether the shell hands it over resolved or as session.ownerId(). */
export async function ownerIdOf(ctx) {
  if (ctx.ownerId) return ctx.ownerId;
  const o = ctx.session.ownerId;
  return typeof o === 'function' ? o.call(ctx.session) : o;
}

/** Every item of a paged list (the vault's limit/offset, at most 500 a page), up to maxPages pages. */
export async function getAll(api, path, maxPages = 20) {
  const PAGE = 500;
  const sep = path.includes('?') ? '&' : '?';
  const all = [];
  for (let page = 0; page < maxPages; page++) {
    const items = await api.get(`${path}${sep}limit=${PAGE}&offset=${page * PAGE}`);
    all.push(...items);
    if (items.length < PAGE) break;
  }
  return all;
}
