// #/audit — the owner's entries in the vault's transparency log (issue 17), each checked in this
// browser (audit-verify.js): the signed checkpoint against the log's key, the entry against its
// commitment, the commitment's inclusion in the signed tree, the owner's chain, and consistency
// with the checkpoint this browser kept from its last visit (localStorage, per owner).
import { h, fill, section, showError, fmtTime, ensureStyles, ownerIdOf, saveText, actionButton, announce } from '../page-kit.js';
import { heading } from '../ui.js';
import { metricName, purposeName, list } from '../consent-summary.js';
import { parseVerifierKey, verifyAudit, VerifyError, bytesToB64 } from '../audit-verify.js';

const PAGE = 500;
const MAX_PAGES = 200;
const heldKey = (owner) => `vv.audit.${owner}`;

/** What happened, in words, per kind (AuditKind). */
const KINDS = Object.freeze({
  DATA_USE: 'A research organisation’s query counted your data',
  CONSENT_GRANTED: 'You granted consent',
  CONSENT_AMENDED: 'You changed a consent',
  CONSENT_WITHDRAWN: 'You withdrew a consent',
  COOP_JOINED: 'You joined a data co-operative',
  COOP_LEFT: 'You left a data co-operative',
  CAREGIVER_INVITED: 'You invited a caregiver',
  CAREGIVER_ACCEPTED: 'A caregiver accepted your invitation',
  CAREGIVER_REVOKED: 'A caregiver’s access ended',
  CAREGIVER_READ: 'A caregiver read your data',
  EMERGENCY_ENABLED: 'You turned on emergency access',
  EMERGENCY_DISABLED: 'You turned off emergency access',
  EMERGENCY_OPENED: 'A clinician opened emergency access to your data',
  EMERGENCY_READ: 'A clinician read your data in an emergency',
  EMERGENCY_ENDED: 'An emergency access ended',
  OWNER_KEY_ROTATED: 'Your vault’s key was rotated',
  DATA_EXPORTED: 'Your data was exported',
  ERASURE: 'Your vault was erased',
});

/**
 * How a detail reads in the sentence: [label, value → text]. Only these headline facts go into the
 * sentence; everything else (terms, counts, windows of other shapes) is in the entry's JSON below it.
 */
const DETAILS = Object.freeze({
  leaseId: ['under lease', short],
  queryId: ['query', short],
  grantId: ['consent', short],
  consentId: ['consent', short],
  version: ['version', String],
  organisationId: ['by organisation', short],
  organisation: ['organisation', short],
  counterparty: ['for', counterparty],
  coopId: ['co-operative', short],
  purpose: ['for', purposeName],
  metric: ['measurement', metricName],
  metrics: ['measurements', (v) => list([].concat(v).map(metricName))],
  resolution: ['resolution', (v) => String(v).toLowerCase()],
  granularity: ['grouped by', (v) => String(v).toLowerCase()],
  dataWindow: ['readings from', range],
  dataRange: ['readings from', range],
  epsilon: ['privacy cost ε', (v) => String(Math.round(Number(v) * 1000) / 1000)],
  outcome: ['outcome', (v) => words(String(v))],
  delegationId: ['caregiver sharing', short],
  sessionId: ['emergency session', short],
  keyVersion: ['new key version', String],
  format: ['as', String],
  invitation: ['by', (v) => words(String(v))],
  expiresAt: ['until', (v) => fmtTime(v)],
  receiptId: ['receipt', short],
});

function counterparty(v) {
  if (!v || typeof v !== 'object') return String(v);
  if (v.organisation) return 'organisation ' + short(v.organisation);
  if (v.anyResearcherFor) return 'any approved research organisation, for ' + purposeName(v.anyResearcherFor);
  if (v.coop) return 'co-operative ' + short(v.coop);
  return Object.entries(v).map(([k, x]) => `${words(k)} ${short(x)}`).join(', ');
}

function range(v) {
  if (!v || typeof v !== 'object') return String(v);
  return `${v.from ? fmtTime(v.from, true) : 'the start'} to ${v.until ? fmtTime(v.until, true) : 'now'}`;
}

function short(v) {
  const s = String(v);
  return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(s) ? s.slice(0, 8) : s;
}

function words(key) {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').toLowerCase();
}

function detailText(key, value) {
  if (value === null || value === undefined) return null;
  const known = DETAILS[key];
  return known ? `${known[0]} ${known[1](value)}` : null;
}

/** A plain sentence for an entry: what happened, when, and under which lease, consent, … */
export function describe(entry) {
  if (!entry.kind) return 'An entry that could not be read.';
  const what = KINDS[entry.kind] || words(entry.kind).replace(/^./, (c) => c.toUpperCase());
  const details = entry.details && typeof entry.details === 'object'
    ? Object.entries(entry.details).map(([k, v]) => detailText(k, v)).filter(Boolean) : [];
  return `${what} on ${fmtTime(entry.at)}${details.length ? ' — ' + details.join(', ') : ''}.`;
}

function loadHeld(owner) {
  try {
    return JSON.parse(localStorage.getItem(heldKey(owner)) || 'null');
  } catch (e) {
    return null;
  }
}

async function publicJson(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'omit', cache: 'no-store' });
  if (!r.ok) throw new Error(`the vault did not publish the log’s key (HTTP ${r.status})`);
  return r.json();
}

/** Every page of the owner's log; each page after the first asks for consistency from the one before. */
async function fetchPages(api, owner, held) {
  const pages = [];
  let since = held ? held.size : null;
  let after = 0;
  for (let i = 0; i < MAX_PAGES; i++) {
    const q = new URLSearchParams({ afterSeq: String(after), limit: String(PAGE) });
    if (since !== null && since !== undefined) q.set('since', String(since));
    const page = await api.get(`/owners/${owner}/audit?${q}`);
    pages.push(page);
    if (page.treeSize !== null && page.treeSize !== undefined && page.checkpoint) since = page.treeSize;
    if (page.nextAfterSeq === null || page.nextAfterSeq === undefined) break;
    after = page.nextAfterSeq;
  }
  return pages;
}

const STATUS_TEXT = { verified: 'verified', pending: 'pending', failed: 'NOT verified' };

function entryItem(e) {
  return h('li', { class: 'vv-audit-entry', dataset: { seq: String(e.seq), kind: e.kind || '', verified: e.status } },
    h('p', { class: 'vv-audit-what' }, h('span', { class: 'vv-audit-seq' }, `#${e.seq} `), describe(e)),
    h('p', { class: 'vv-verify ' + (e.status === 'failed' ? 'vv-bad' : e.status === 'verified' ? 'vv-ok' : 'vv-pending'), dataset: { verified: e.status } },
      h('strong', {}, STATUS_TEXT[e.status]), e.reason ? ': ' + e.reason : ''),
    e.json ? h('details', {}, h('summary', {}, 'The entry as logged (JSON)'), h('pre', { class: 'vv-json' }, JSON.stringify(e.json, null, 2))) : null);
}

function checkpointText(result) {
  const cp = result.checkpoint;
  if (!cp || cp.size === undefined) {
    return cp && cp.error ? h('p', { class: 'vv-verify vv-bad', dataset: { verified: 'failed' } }, h('strong', {}, 'NOT verified'), ': ' + cp.error)
      : h('p', { dataset: { verified: 'pending' } }, 'The log has not signed a checkpoint yet; your entries are recorded and will be checked once it has.');
  }
  return h('div', {},
    h('p', { id: 'audit-checkpoint-size', dataset: { size: cp.size.toString() } },
      `The log held ${cp.size} entries (of every owner, as salted commitments) when it signed this checkpoint`,
      signedTime(cp.extensions) ? ` on ${fmtTime(signedTime(cp.extensions))}` : '', '. '),
    cp.error ? h('p', { class: 'vv-verify vv-bad', dataset: { verified: 'failed' } }, h('strong', {}, 'NOT verified'), ': ' + cp.error)
      : h('p', { class: 'vv-verify vv-ok', dataset: { verified: 'verified' } }, h('strong', {}, 'verified'),
        `: signed by the log’s key ${cp.origin}. Root hash `, h('code', {}, cp.rootHash), '.'));
}

/** A signing time, if the checkpoint carries one as an extension line (an ISO instant or "time …"). */
function signedTime(extensions) {
  for (const line of extensions || []) {
    const m = /(\d{4}-\d{2}-\d{2}T[0-9:.]+Z)/.exec(line);
    if (m) return m[1];
  }
  return null;
}

function consistencyText(result, held) {
  const c = result.consistency;
  if (c.state === 'failed') {
    return h('p', { class: 'vv-verify vv-bad', dataset: { verified: 'failed' } }, h('strong', {}, 'NOT verified'), ': ' + c.reason);
  }
  if (c.state === 'ok') {
    return h('p', { class: 'vv-verify vv-ok', dataset: { verified: 'verified' } }, h('strong', {}, 'consistent'),
      ` with the log you saw on ${fmtTime(held.verifiedAt)} (${held.size} entries): nothing in it was changed or removed since.`);
  }
  return h('p', { dataset: { verified: 'pending' } },
    'This is the first check of your log in this browser. It keeps this checkpoint, and next time proves that the log only grew since.');
}

export async function render(root, ctx) {
  ensureStyles();
  root.append(heading('Audit log'));
  const owner = await ownerIdOf(ctx);
  const errors = h('div', { class: 'vv-errors' });
  const summary = h('p', { id: 'audit-summary', role: 'status' }, 'Checking your log…');
  const checkpointEl = h('div', { id: 'audit-checkpoint' });
  const consistencyEl = h('div', { id: 'audit-consistency' });
  const entriesEl = h('div', { id: 'audit-entries' });
  const tools = h('div', { class: 'vv-actions', id: 'audit-tools' });
  root.append(
    h('p', {}, 'Everything that touches your data or your rights is written to the vault’s transparency log, an append-only record whose signed checkpoints are published. This page checks, here in your browser, that each of your entries is in the signed log exactly as shown, and that the log has not been rewritten since you last looked. See also ',
      h('a', { href: '#/uses' }, 'who used my data'), '.'),
    errors, summary,
    section('audit-cp', 'Signed checkpoint', checkpointEl, consistencyEl),
    section('audit-list', 'Your entries, newest first', entriesEl),
    tools);

  let key;
  let pages;
  const held = loadHeld(owner);
  try {
    const published = await publicJson('/audit/key');
    key = await parseVerifierKey(published.verifierKey);
    if (published.publicKey && published.publicKey !== bytesToB64(key.publicKey)) {
      throw new VerifyError('the log’s published public key differs from its verifier key');
    }
    key.origin = published.origin;
    pages = await fetchPages(ctx.api, owner, held);
  } catch (e) {
    if (!ctx.current()) return;
    fill(summary, h('span', { class: 'vv-verify vv-bad', dataset: { verified: 'failed' } }, h('strong', {}, 'NOT verified'),
      ': ' + (e instanceof VerifyError ? e.message : 'the log could not be read.')));
    if (!(e instanceof VerifyError)) showError(errors, e);
    root.dataset.ready = 'true';
    return;
  }
  const result = await verifyAudit(pages, { ownerId: owner, key, origin: key.origin || key.name, held, now: new Date().toISOString() });
  if (!ctx.current()) return;

  fill(checkpointEl, checkpointText(result));
  fill(consistencyEl, consistencyText(result, held), result.keyChanged
    ? h('p', { id: 'audit-key-changed', class: 'notice' }, `The log is signed by another key than when this browser last checked it (${fmtTime(result.keyChanged.since)}): `,
      h('code', {}, result.keyChanged.to), '. The vault may have rotated its signing key; what you saw before is still checked against the new checkpoints.')
    : null);
  const items = [...result.entries].reverse().map(entryItem);
  fill(entriesEl, items.length ? h('ol', { class: 'vv-feed vv-audit', reversed: true }, items)
    : h('p', {}, 'Nothing has been logged about you yet.'),
  result.chain.ok ? null : h('p', { class: 'vv-verify vv-bad', id: 'audit-chain', dataset: { verified: 'failed' } }, h('strong', {}, 'NOT verified'), ': ' + result.chain.reason));

  const overall = result.failed > 0 || result.consistency.state === 'failed' || (result.checkpoint && result.checkpoint.error) ? 'failed'
    : result.pending > 0 ? 'pending' : 'verified';
  summary.dataset.state = overall;
  fill(summary, overall === 'failed'
    ? h('span', { class: 'vv-verify vv-bad' }, h('strong', {}, 'NOT verified'), `: ${result.failed} problem${result.failed === 1 ? '' : 's'} found; see below.`)
    : h('span', { class: 'vv-verify vv-ok' }, h('strong', {}, 'verified'),
      `: ${result.verified} entr${result.verified === 1 ? 'y' : 'ies'} in the signed log`,
      result.pending ? `, ${result.pending} pending (not in a signed checkpoint yet).` : '.'));
  announce(overall === 'failed' ? 'Audit log NOT verified' : 'Audit log verified');

  if (result.newHeld) localStorage.setItem(heldKey(owner), JSON.stringify(result.newHeld));
  if (result.checkpoint && result.checkpoint.note) {
    fill(tools,
      actionButton('Save the checkpoint', () => saveText('vitalvault-checkpoint.txt', result.checkpoint.note), { id: 'audit-save-checkpoint' }),
      pages.length === 1 ? actionButton('Save the answer for verify-audit.sh', () => saveText(`vitalvault-audit-${owner}.json`, JSON.stringify(pages[0], null, 2), 'application/json'), { id: 'audit-save-answer' }) : null,
      actionButton('Check again', () => ctx.navigate('/audit'), { id: 'audit-recheck' }));
  }
  root.dataset.ready = 'true';
  root.dataset.verified = overall;
}
