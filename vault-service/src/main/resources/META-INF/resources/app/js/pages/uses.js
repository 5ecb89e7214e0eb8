// #/uses — who used my data: research data uses (one row per query that counted the owner),
// personal accesses (caregivers, emergencies), the privacy ledger as a chart, and credits.
import { h, fill, section, showError, fmtTime, shortId, ensureStyles, ownerIdOf, getAll } from '../page-kit.js';
import { heading } from '../ui.js';
import { metricName, purposeName } from '../consent-summary.js';
import { drawLedger } from '../ledger-chart.js';

const eps = (x) => String(Math.round(x * 1000) / 1000);
const money = (cents, currency) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: currency || 'EUR' }).format(cents / 100);

function table(caption, columns, rows, attrs = {}) {
  return h('div', { class: 'vv-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', Object.assign({ class: 'vv-table' }, attrs),
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)));
}

function windowText(w) {
  return w ? `${fmtTime(w.from, true)} – ${fmtTime(w.until, true)}` : 'latest values';
}

export async function render(root, ctx) {
  ensureStyles();
  // The heading first and at once: the shell focuses it as soon as the page starts.
  root.append(heading('Who used my data'));
  const { api } = ctx;
  const base = `/owners/${await ownerIdOf(ctx)}`;
  const errors = h('div', { class: 'vv-errors' });
  const usesEl = h('div', { id: 'data-uses' });
  const accessEl = h('div', { id: 'personal-accesses' });
  const ledgerEl = h('div', { id: 'ledger' });
  const creditsEl = h('div', { id: 'credits' });
  root.append(
    h('p', { id: 'uses-audit' }, 'Each of these events is also in the vault’s transparency log, which this browser can check: see your ',
      h('a', { href: '#/audit' }, 'audit log'), '.'),
    errors,
    section('uses-research', 'Research uses', h('p', {}, 'Every query by a research organisation whose result counted your data. They received only a noisy result about a group, never your readings.'), usesEl),
    section('uses-personal', 'Caregivers and emergencies', h('p', {}, 'Every read of your own readings by a caregiver you invited or by a clinician in an emergency.'), accessEl),
    section('uses-ledger', 'Privacy budget', ledgerEl),
    section('uses-credits', 'Credits', creditsEl));

  const load = (path, fallback, paged) => (paged ? getAll(api, path) : api.get(path)).catch((e) => {
    showError(errors, e);
    return fallback;
  });
  const [uses, accesses, ledger, credits] = await Promise.all([
    load(`${base}/data-uses`, [], true),
    load(`${base}/accesses`, [], true),
    load(`${base}/ledger`, null),
    load(`${base}/credits`, null),
  ]);

  fill(usesEl, uses.length === 0 ? h('p', {}, 'No research organisation has used your data.') : table('Research uses, newest last',
    ['When', 'Organisation', 'Purpose', 'Measurement', 'Grouped by', 'Readings from', 'Privacy cost (ε)'],
    uses.map((u) => h('tr', { 'data-use': u.id, 'data-lease': u.leaseId },
      h('td', {}, fmtTime(u.usedAt)),
      h('td', {}, u.organisation.name, u.organisation.status === 'SUSPENDED' ? ' (suspended)' : ''),
      h('td', {}, purposeName(u.purpose)),
      h('td', {}, metricName(u.metric)),
      h('td', {}, String(u.granularity).toLowerCase()),
      h('td', {}, windowText(u.dataWindow)),
      h('td', {}, eps(u.epsilon))))));

  fill(accessEl, accesses.length === 0 ? h('p', {}, 'No caregiver or clinician has read your data.') : table('Personal accesses',
    ['When', 'Who', 'Why', 'Measurement', 'Detail', 'Readings from'],
    accesses.map((a) => h('tr', { 'data-access': a.id, 'data-kind': a.kind },
      h('td', {}, fmtTime(a.accessedAt)),
      h('td', {}, a.kind === 'emergency' ? `Clinician ${a.accessor} (emergency access)` : `${a.accessor} (caregiver)`),
      h('td', {}, a.reason || (a.kind === 'caregiver' ? 'shared by you' : '–')),
      h('td', {}, a.metric ? metricName(a.metric) : 'all shared'),
      h('td', {}, a.resolution || '–'),
      h('td', {}, windowText(a.dataWindow))))));

  if (ledger) {
    const chart = h('div', { id: 'ledger-chart', class: 'vv-ledger' });
    fill(ledgerEl,
      h('p', { id: 'ledger-totals' }, `In the last 365 days, leases spent ε ${eps(ledger.spent)} of your yearly limit of ε ${eps(ledger.yearlyCap)}; ε ${eps(ledger.remaining)} remains. `,
        'ε measures privacy loss: the smaller, the less any result can reveal about you. Your limit is the smallest of your grants’ yearly limits and the vault’s.'),
      chart,
      ledger.charges.length ? h('details', {}, h('summary', {}, `Charges (${ledger.charges.length})`),
        h('ul', {}, ledger.charges.map((c) => h('li', {}, `${fmtTime(c.chargedAt)}: ε ${eps(c.epsilon)} by lease `, shortId(c.leaseId))))) : null);
    drawLedger(chart, ledger);
  }

  if (credits) {
    fill(creditsEl,
      h('p', { id: 'credits-total' }, `Total credited: ${money(credits.totalCents, credits.currency)}.`),
      credits.credits.length === 0 ? h('p', {}, 'No lease has credited you yet.') : table('Credits per lease',
        ['When', 'Organisation', 'Lease', 'Amount'],
        credits.credits.map((c) => h('tr', {},
          h('td', {}, fmtTime(c.creditedAt)),
          h('td', {}, c.organisationName),
          h('td', {}, shortId(c.leaseId)),
          h('td', {}, money(c.cents, credits.currency))))));
  }
  root.dataset.ready = 'true';
}
