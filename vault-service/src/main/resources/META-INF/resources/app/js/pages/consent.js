// #/consent — the owner's consent: grants (create, amend, revoke) each with a plain-language
// summary of what it allows, co-ops (join, leave), the consent trail, and every receipt
// downloadable and verified in the page.
import {
  h, on, fill, section, showError, announce, fmtTime, actionButton, confirmButton, receiptBox, receiptChecker, shortId, ensureStyles, ownerIdOf, getAll,
} from '../page-kit.js';
import { heading } from '../ui.js';
import {
  summarize, METRIC_NAMES, PURPOSE_NAMES, KIND_NAMES, actionName,
} from '../consent-summary.js';

const DAY_MS = 86_400_000;

export async function render(root, ctx) {
  ensureStyles();
  // The heading first and at once: the shell focuses it as soon as the page starts.
  root.append(heading('Consent'));
  const { api } = ctx;
  const owner = await ownerIdOf(ctx);
  const base = `/owners/${owner}`;

  const result = h('div', { id: 'consent-result', 'aria-live': 'polite', class: 'vv-result', tabindex: '-1' });
  const grantsEl = h('div', { id: 'grant-list' });
  const formEl = h('div', { id: 'grant-form-wrap' });
  const coopsEl = h('div', { id: 'coop-list' });
  const trailEl = h('div', { id: 'consent-trail' });
  const errors = h('div', { class: 'vv-errors' });
  let names = { organisations: {}, coops: {} };

  root.append(
    h('p', {}, 'Who may use your data for research, for what, and under which limits. Every change gives you a receipt signed by the vault.'),
    errors, result,
    section('grants', 'Your grants', grantsEl),
    section('new-grant', 'Grant consent', formEl),
    section('coops', 'Co-ops', coopsEl),
    section('trail', 'Consent trail', h('p', {}, 'Every change of your consent, oldest first, with its signed receipt.'), trailEl),
    section('check', 'Check a receipt', receiptChecker('check-receipt', names)));

  /** Shows what a change did, with its receipt, and announces it. */
  function changed(message, change) {
    fill(result,
      h('p', { class: 'vv-done' }, message),
      receiptBox(change.jws, { filename: `consent-receipt-${change.receipt.receiptId}.jws`, names }));
    announce(message);
    // The button pressed is gone once the lists re-render: keyboard focus goes to the outcome.
    result.focus();
  }

  async function refresh() {
    fill(errors);
    let grants = [];
    let memberships = [];
    let coops = [];
    let events = [];
    try {
      [grants, memberships, coops, events] = await Promise.all([
        getAll(api, `${base}/grants`),
        getAll(api, `${base}/memberships`),
        getAll(api, '/coops'),
        getAll(api, `${base}/consent-events`),
      ]);
      // Organisation names are known from data uses only (an owner cannot look organisations up).
      const uses = await getAll(api, `${base}/data-uses`).catch(() => []);
      uses.forEach((u) => { if (u.organisation) names.organisations[u.organisation.id] = u.organisation.name; });
      coops.forEach((c) => { names.coops[c.id] = c.name; });
    } catch (e) {
      showError(errors, e);
    }
    renderGrants(grants);
    renderCoops(coops, memberships);
    renderTrail(events);
  }

  function renderGrants(grants) {
    if (grants.length === 0) {
      fill(grantsEl, h('p', {}, 'You have not granted consent to anyone. Your data is used by no one.'));
      return;
    }
    fill(grantsEl, h('ul', { class: 'vv-cards' }, ...grants.map((g) => {
      const state = g.revokedAt ? 'withdrawn' : (g.inForce ? 'in force' : 'not in force now');
      const item = h('li', { class: 'vv-card', 'data-grant': g.id, 'data-state': g.revokedAt ? 'revoked' : (g.inForce ? 'active' : 'inactive') },
        h('h3', {}, `Grant `, shortId(g.id), ` — ${state}`),
        h('p', { class: 'vv-meta' }, `Version ${g.version}, granted ${fmtTime(g.createdAt)}`
          + (g.amendedAt ? `, amended ${fmtTime(g.amendedAt)}` : '') + (g.revokedAt ? `, withdrawn ${fmtTime(g.revokedAt)}` : '') + '.'),
        summaryList(summarize(g.terms, { audience: g.audience, names, revokedAt: g.revokedAt })));
      if (!g.revokedAt) {
        item.appendChild(h('p', { class: 'vv-actions' },
          on(h('button', { type: 'button', 'data-action': 'amend' }, 'Amend terms'), 'click', () => {
            renderForm(g);
            formEl.scrollIntoView();
            formEl.querySelector('input, select').focus();
          }),
          ' ',
          confirmButton('Withdraw consent', 'Withdraw this consent? It stops counting in every decision from now on.',
            'Yes, withdraw', async () => {
            try {
              const change = await api.del(`${base}/grants/${g.id}`);
              changed('Consent withdrawn. It no longer counts for any lease or query.', change);
              await refresh();
            } catch (e) {
              showError(errors, e);
            }
          }, { 'data-action': 'revoke' })));
      }
      return item;
    })));
  }

  /** The grant form: new (grant undefined) or amending a grant's terms (its audience stays). */
  function renderForm(grant) {
    const t = grant ? grant.terms : defaultTerms();
    const id = (n) => 'grant-' + n;
    const check = (group, value, label, checked) => h('div', { class: 'vv-check' },
      h('input', Object.assign({ type: 'checkbox', id: id(group + '-' + value), name: group, value }, checked ? { checked: '' } : {})),
      h('label', { for: id(group + '-' + value) }, label));
    const options = (values, selected) => Object.entries(values).map(([v, label]) =>
      h('option', Object.assign({ value: v }, v === selected ? { selected: '' } : {}), label));
    const dateValue = (iso) => (iso ? new Date(iso).toISOString().slice(0, 10) : '');

    const audienceFields = grant ? h('p', {}, summarize(null, { audience: grant.audience, names })[0].text) : h('fieldset', {},
      h('legend', {}, 'Who may use it'),
      h('div', { class: 'vv-check' }, h('input', { type: 'radio', name: 'audience-kind', id: id('aud-purpose'), value: 'purpose', checked: '' }),
        h('label', { for: id('aud-purpose') }, 'Any approved research organisation, for one purpose')),
      h('label', { for: id('aud-purpose-code') }, 'Purpose'),
      h('select', { id: id('aud-purpose-code') }, ...options(PURPOSE_NAMES, 'HRESCH')),
      h('div', { class: 'vv-check' }, h('input', { type: 'radio', name: 'audience-kind', id: id('aud-researcher'), value: 'researcher' }),
        h('label', { for: id('aud-researcher') }, 'One research organisation')),
      h('label', { for: id('aud-org') }, 'Organisation id (the organisation gives it to you)'),
      h('input', { id: id('aud-org'), type: 'text', inputmode: 'text', autocomplete: 'off', spellcheck: 'false' }));

    const form = h('form', { id: 'grant-form', novalidate: '' },
      grant ? h('h3', {}, 'Amend grant ', shortId(grant.id)) : null,
      audienceFields,
      h('fieldset', {}, h('legend', {}, 'Purposes it may be used for'),
        ...Object.entries(PURPOSE_NAMES).map(([c, n]) => check('purposes', c, n, t.purposes.includes(c)))),
      h('fieldset', {}, h('legend', {}, 'Measurements it covers'),
        ...Object.entries(METRIC_NAMES).map(([c, n]) => check('metrics', c, n, t.metrics.includes(c)))),
      h('fieldset', {}, h('legend', {}, 'Results researchers may compute'),
        ...Object.entries(KIND_NAMES).map(([c, n]) => check('kinds', c, n, t.kinds.includes(c)))),
      h('label', { for: id('granularity') }, 'Finest grouping in time'),
      h('select', { id: id('granularity') }, ...options({ HOUR: 'per hour', DAY: 'per day', WEEK: 'per week', MONTH: 'per month' }, t.granularity)),
      h('fieldset', {}, h('legend', {}, 'Readings taken'),
        h('label', { for: id('data-from') }, 'from'), h('input', { type: 'date', id: id('data-from'), value: dateValue(t.dataWindow.from), required: '' }),
        h('label', { for: id('data-until') }, 'until'), h('input', { type: 'date', id: id('data-until'), value: dateValue(t.dataWindow.until), required: '' })),
      h('label', { for: id('valid-until') }, 'Consent valid until'),
      h('input', { type: 'date', id: id('valid-until'), value: dateValue(t.validity.until), required: '' }),
      h('label', { for: id('cohort') }, 'Smallest group your data may count in (people)'),
      h('input', { type: 'number', id: id('cohort'), min: '11', step: '1', value: String(t.minimumCohort) }),
      h('label', { for: id('eps-lease') }, 'Privacy budget ε per lease'),
      h('input', { type: 'number', id: id('eps-lease'), min: '0.01', step: '0.01', value: String(t.epsilonPerLease) }),
      h('label', { for: id('eps-year') }, 'Privacy budget ε per 365 days'),
      h('input', { type: 'number', id: id('eps-year'), min: '0.01', step: '0.01', value: String(t.epsilonPerYear) }),
      h('label', { for: id('price') }, 'Price'),
      h('select', { id: id('price') }, ...options({ COMMUNITY: 'donate (no charge)', STANDARD: 'standard rate', PREMIUM: 'premium (4 × standard)' }, t.priceTier)),
      h('h3', { id: 'grant-preview-h' }, 'What this consent allows'),
      h('ul', { id: 'grant-preview', class: 'vv-summary', 'aria-labelledby': 'grant-preview-h' }),
      h('p', { class: 'vv-actions' },
        h('button', { type: 'submit', id: 'grant-submit' }, grant ? 'Save amended terms' : 'Grant consent'),
        grant ? ' ' : null,
        grant ? on(h('button', { type: 'button' }, 'Cancel'), 'click', () => renderForm()) : null));

    const val = (n) => form.querySelector('#' + id(n)).value;
    const checked = (group) => [...form.querySelectorAll(`input[name="${group}"]:checked`)].map((i) => i.value);
    const audience = () => {
      if (grant) return grant.audience;
      const kind = form.querySelector('input[name="audience-kind"]:checked').value;
      return kind === 'researcher' ? { researcher: val('aud-org').trim() } : { purpose: val('aud-purpose-code') };
    };
    const startOfDay = (d) => (d ? new Date(d + 'T00:00:00Z').toISOString() : null);
    const terms = () => ({
      purposes: checked('purposes'),
      metrics: checked('metrics'),
      kinds: checked('kinds'),
      granularity: val('granularity'),
      dataWindow: { from: startOfDay(val('data-from')), until: startOfDay(val('data-until')) },
      validity: { from: grant ? t.validity.from : null, until: startOfDay(val('valid-until')) },
      minimumCohort: Number(val('cohort')),
      epsilonPerLease: Number(val('eps-lease')),
      epsilonPerYear: Number(val('eps-year')),
      priceTier: val('price'),
    });
    const preview = () => {
      const list = form.querySelector('#grant-preview');
      fill(list, summarize(terms(), { audience: audience(), names }).map((s) => h('li', { 'data-term': s.term }, s.text)));
    };
    form.addEventListener('input', preview);
    form.addEventListener('change', preview);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const submit = form.querySelector('#grant-submit');
      submit.disabled = true;
      fill(errors);
      try {
        const body = { audience: audience(), terms: terms() };
        if (!body.terms.validity.from) delete body.terms.validity.from;
        const change = grant
          ? await api.put(`${base}/grants/${grant.id}`, { terms: body.terms })
          : await api.post(`${base}/grants`, body);
        changed(grant ? `Grant amended: it is now at version ${change.grant.version}.` : 'Consent granted.', change);
        renderForm();
        await refresh();
      } catch (e) {
        showError(errors, e);
      } finally {
        submit.disabled = false;
      }
    });
    fill(formEl, form);
    preview();
  }

  function renderCoops(coops, memberships) {
    const current = new Map(memberships.filter((m) => !m.leftAt).map((m) => [m.coopId, m]));
    const past = memberships.filter((m) => m.leftAt);
    if (coops.length === 0) {
      fill(coopsEl, h('p', {}, 'No co-op has been founded in this vault yet.'));
      return;
    }
    fill(coopsEl,
      h('p', {}, 'A co-op pools its members’ data under standing terms. Joining gives your consent on those terms; leaving withdraws it.'),
      h('ul', { class: 'vv-cards' }, ...coops.map((c) => {
        const m = current.get(c.id);
        return h('li', { class: 'vv-card', 'data-coop': c.id, 'data-member': String(!!m) },
          h('h3', {}, c.name, m ? ' — you are a member' : ''),
          h('p', { class: 'vv-meta' }, m ? `Joined ${fmtTime(m.joinedAt)}.` : `Founded ${fmtTime(c.createdAt)}.`),
          h('details', {}, h('summary', {}, m ? 'What your membership allows' : 'What joining would allow'),
            summaryList(summarize(m ? (m.effectiveTerms || c.terms) : c.terms, { audience: { coop: c.id }, names }))),
          h('p', { class: 'vv-actions' }, m
            ? confirmButton(`Leave ${c.name}`, `Leave ${c.name}? Your data stops counting in its leases from the next decision on.`,
              'Yes, leave', async () => {
              try {
                const change = await api.del(`${base}/memberships/${c.id}`);
                changed(`You left ${c.name}.`, change);
                await refresh();
              } catch (e) { showError(errors, e); }
            }, { 'data-action': 'leave' })
            : actionButton(`Join ${c.name} on its terms`, async () => {
              try {
                const change = await api.put(`${base}/memberships/${c.id}`, {});
                changed(`You joined ${c.name}.`, change);
                await refresh();
              } catch (e) { showError(errors, e); }
            }, { 'data-action': 'join' })));
      })),
      past.length ? h('p', {}, 'Left: ' + past.map((m) => `${m.coopName} (${fmtTime(m.leftAt)})`).join('; ') + '.') : null);
  }

  function renderTrail(events) {
    if (events.length === 0) {
      fill(trailEl, h('p', {}, 'No consent changes yet.'));
      return;
    }
    fill(trailEl, h('ol', { class: 'vv-trail' }, ...events.map((e) => h('li', { 'data-event': e.receiptId, 'data-action': e.action },
      h('h3', {}, `${actionName(e.action)} — ${fmtTime(e.occurredAt)}`),
      h('p', { class: 'vv-meta' }, e.coopId ? `Co-op ${names.coops[e.coopId] || e.coopId}. ` : 'Grant ', e.coopId ? null : shortId(e.consentId),
        e.coopId ? null : '. ', `Made by ${e.actor}.`),
      receiptBox(e.jws, { filename: `consent-receipt-${e.receiptId}.jws`, names })))));
  }

  function summaryList(sentences) {
    return h('ul', { class: 'vv-summary' }, ...sentences.map((s) => h('li', { 'data-term': s.term }, s.text)));
  }

  renderForm();
  await refresh();
  root.dataset.ready = 'true';
}

function defaultTerms() {
  const today = Date.parse(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  const iso = (ms) => new Date(ms).toISOString();
  return {
    purposes: ['HRESCH'],
    metrics: ['heart_rate'],
    kinds: ['COUNT', 'MEAN'],
    granularity: 'DAY',
    dataWindow: { from: iso(today - 365 * DAY_MS), until: iso(today + 366 * DAY_MS) },
    validity: { from: null, until: iso(today + 365 * DAY_MS) },
    minimumCohort: 11,
    epsilonPerLease: 1,
    epsilonPerYear: 5,
    priceTier: 'STANDARD',
  };
}
