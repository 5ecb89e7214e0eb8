// #/account — the owner's account: export everything (FHIR, CSV), rotate the owner key, and erase
// the vault, with the signed erasure receipt shown, downloadable and verified in the page.
import {
  h, fill, section, showError, announce, fmtTime, actionButton, receiptBox, receiptChecker, ensureStyles, ownerIdOf,
} from '../page-kit.js';
import { heading } from '../ui.js';

/** What the owner types to confirm erasure: words, so it cannot be done by a stray click or Enter. */
export const ERASE_PHRASE = 'erase my vault';

const FORMATS = {
  fhir: { label: 'FHIR (JSON)', ext: 'fhir.json', accept: 'application/fhir+json' },
  csv: { label: 'CSV (spreadsheet)', ext: 'csv', accept: 'text/csv' },
};

/**
 * Downloads the owner's whole export in a format (the bearer token is needed, so through
 * api.download, not a plain link). Returns the Blob that was saved.
 */
export function exportData(api, ownerId, format) {
  const f = FORMATS[format];
  return api.download(`/owners/${ownerId}/export?format=${format}`, `vitalvault-${ownerId}.${f.ext}`, f.accept);
}

export async function render(root, ctx) {
  ensureStyles();
  // The heading first and at once: the shell focuses it as soon as the page starts.
  root.append(heading('Account'));
  const { api, session } = ctx;
  const owner = await ownerIdOf(ctx);
  const base = `/owners/${owner}`;
  const errors = h('div', { class: 'vv-errors' });
  const exportResult = h('div', { id: 'export-result', 'aria-live': 'polite' });
  const keysEl = h('div', { id: 'owner-keys' });
  const keyResult = h('div', { id: 'key-result', 'aria-live': 'polite' });
  const eraseEl = h('div', { id: 'erase' });

  let me = null;
  try {
    me = await api.get(base);
  } catch (e) {
    showError(errors, e);
  }

  root.append(
    errors,
    h('p', { id: 'account-owner' }, 'Your vault ', h('code', { id: 'account-owner-id' }, owner),
      me ? `, created ${fmtTime(me.createdAt)}.` : '.'),
    section('export', 'Export your data',
      h('p', {}, 'Every reading your vault holds, in a file you keep. FHIR is the health-record standard; CSV opens in a spreadsheet.'),
      h('p', { class: 'vv-actions' }, ...Object.entries(FORMATS).map(([fmt, f]) =>
        actionButton(`Download ${f.label}`, async () => {
          fill(exportResult, h('p', {}, `Preparing the ${f.label} export…`));
          try {
            const blob = await exportData(api, owner, fmt);
            fill(exportResult, h('p', { class: 'vv-done', 'data-export': fmt, 'data-bytes': String(blob.size) },
              `Saved vitalvault-${owner}.${f.ext} (${blob.size.toLocaleString('en-GB')} bytes).`));
            announce(`${f.label} export saved`);
          } catch (e) {
            fill(exportResult);
            showError(errors, e);
          }
        }, { id: `export-${fmt}` }))),
      exportResult),
    section('keys', 'Your encryption key',
      h('p', {}, 'Your readings are sealed to a key pair of your own. Rotating it seals new data to a new pair; old data is re-sealed in the background and the old pair destroyed.'),
      keysEl,
      h('p', { class: 'vv-actions' }, actionButton('Rotate my key', async () => {
        try {
          const k = await api.post(`${base}/keys/rotate`);
          fill(keyResult, h('p', { class: 'vv-done', 'data-key-version': String(k.version) }, `Key rotated: version ${k.version} is now current.`));
          announce(`Key rotated to version ${k.version}`);
          await loadKeys();
        } catch (e) {
          showError(errors, e);
        }
      }, { id: 'rotate-key' })),
      keyResult),
    section('erasure', 'Erase your vault', eraseEl),
    section('check', 'Check a receipt', receiptChecker('check-receipt')));

  async function loadKeys() {
    try {
      const versions = await api.get(`${base}/keys`);
      fill(keysEl, h('ul', { id: 'key-versions' }, versions.map((v) => h('li', { 'data-version': String(v.version), 'data-current': String(!v.retiredAt) },
        `Version ${v.version}, created ${fmtTime(v.createdAt)}`, v.retiredAt ? `, retired ${fmtTime(v.retiredAt)}` : ' — current'))));
    } catch (e) {
      showError(errors, e);
    }
  }

  renderErase();
  await loadKeys();
  root.dataset.ready = 'true';

  function renderErase() {
    const phrase = h('input', { id: 'erase-phrase', type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'erase-hint' });
    const go = h('button', { type: 'submit', id: 'erase-confirm', disabled: true }, 'Erase everything now');
    const result = h('div', { id: 'erase-result', 'aria-live': 'polite' });
    phrase.addEventListener('input', () => { go.disabled = phrase.value.trim().toLowerCase() !== ERASE_PHRASE; });
    const form = h('form', { id: 'erase-form' },
      h('p', {}, 'Erasure destroys your key, every reading, device, grant, membership and consent record, and your privacy ledger. It cannot be undone. You receive a receipt signed by the vault saying what was destroyed; download it before you leave.'),
      h('label', { for: 'erase-phrase' }, 'To confirm, type: ', h('strong', {}, ERASE_PHRASE)),
      h('p', { id: 'erase-hint', class: 'muted' }, 'The button stays disabled until the words match.'),
      phrase,
      h('p', { class: 'vv-actions' }, go),
      result);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (phrase.value.trim().toLowerCase() !== ERASE_PHRASE) return;
      go.disabled = true;
      try {
        const response = await api.raw('DELETE', base, { confirmOwnerId: owner });
        const signed = await response.json();
        if (session && typeof session.forgetOwner === 'function') session.forgetOwner();
        phrase.disabled = true;
        fill(result,
          h('p', { class: 'vv-done', id: 'erased', tabindex: '-1' }, `Your vault was erased on ${fmtTime(signed.receipt.erasedAt)}.`),
          receiptBox(signed.jws, { filename: `erasure-receipt-${signed.receipt.receiptId}.jws` }),
          h('p', {}, 'Signing in again with the same account starts a new, empty vault.'),
          actionButton('Sign out', async () => {
            if (session && typeof session.logout === 'function') await session.logout();
          }, { id: 'erase-sign-out' }));
        announce('Your vault was erased. The receipt is shown below.');
        result.querySelector('#erased').focus();
      } catch (e) {
        go.disabled = false;
        showError(errors, e);
      }
    });
    fill(eraseEl, form);
  }
}
