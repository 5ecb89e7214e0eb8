// #/care: sharing with caregivers. An owner invites a caregiver (which metrics, how detailed, which
// data times, until when), sees each sharing's status and revokes it; a caregiver accepts an
// invitation code and lists what was shared with them.
import { h, announce, problemText } from '../ui.js';
import { METRICS, RESOLUTIONS, metricName, resolutionText, windowText, dateText, copyField, confirmInline,
  setAlert } from '../carekit.js';

const DEFAULT_DAYS = 30;

export async function render(root, ctx) {
  if (ctx.session.role === 'caregiver') {
    await renderCaregiver(root, ctx);
  } else {
    await renderOwner(root, ctx);
  }
  root.dataset.ready = 'true';
}

// ---- the owner ----------------------------------------------------------------------------------

async function renderOwner(root, ctx) {
  const alertEl = h('div', { role: 'alert', class: 'alert', hidden: '' });
  const resultEl = h('section', { id: 'invite-result', 'aria-live': 'polite', hidden: '' });
  const listEl = h('div', { id: 'delegation-list' });
  const form = inviteForm();
  root.replaceChildren(
    h('h1', {}, 'Caregivers'),
    h('p', {}, 'A caregiver (a family member, a nurse) can see the part of your data you choose: only the '
      + 'measurements you tick, no more detailed than you allow, only from the times you allow, read-only, '
      + 'until the date you set. Every time they read, it shows in "Who used my data" and you get a '
      + 'notification. You can revoke a sharing at any time: it stops at their next request.'),
    alertEl,
    form.el,
    resultEl,
    h('section', { 'aria-labelledby': 'delegations-heading' },
      h('h2', { id: 'delegations-heading' }, 'Your sharings'),
      listEl));
  ctx = { ...ctx, owner: await ctx.session.ownerId() };

  form.el.addEventListener('submit', async (event) => {
    event.preventDefault();
    setAlert(alertEl, '');
    let body;
    try {
      body = form.read();
    } catch (problem) {
      setAlert(alertEl, problem.message);
      problem.field?.focus();
      return;
    }
    form.submit.disabled = true;
    try {
      const d = await ctx.api.post(`/owners/${ctx.owner}/delegations`, body);
      form.el.reset();
      form.defaults();
      showInvite(resultEl, d);
      await loadDelegations(listEl, ctx, alertEl);
    } catch (err) {
      setAlert(alertEl, problemText(err));
    } finally {
      form.submit.disabled = false;
    }
  });
  await loadDelegations(listEl, ctx, alertEl);
}

function inviteForm() {
  const label = h('input', { id: 'care-label', type: 'text', required: '', maxlength: '100', autocomplete: 'off',
    placeholder: 'e.g. Sam (nurse)' });
  const sharedAs = h('input', { id: 'care-shared-as', type: 'text', maxlength: '100', autocomplete: 'off',
    placeholder: 'e.g. Grandma' });
  const subject = h('input', { id: 'care-subject', type: 'text', maxlength: '200', autocomplete: 'off' });
  const boxes = METRICS.map(([code, name]) => {
    const id = `care-metric-${code}`;
    return h('div', { class: 'check' },
      h('input', { id, type: 'checkbox', name: 'metric', value: code }),
      h('label', { for: id }, name));
  });
  const resolution = h('select', { id: 'care-resolution' },
    ...RESOLUTIONS.map((r) => h('option', { value: r }, `${r}: ${resolutionText(r)}`)));
  const windowAll = h('input', { id: 'care-window-all', type: 'radio', name: 'window', value: 'all', checked: '' });
  const windowSome = h('input', { id: 'care-window-some', type: 'radio', name: 'window', value: 'some' });
  const from = h('input', { id: 'care-from', type: 'date' });
  const until = h('input', { id: 'care-until', type: 'date' });
  const expires = h('input', { id: 'care-expires', type: 'date', required: '' });
  const submit = h('button', { type: 'submit' }, 'Create invitation');
  const el = h('form', { class: 'stack', 'aria-labelledby': 'invite-heading', novalidate: '' },
    h('h2', { id: 'invite-heading' }, 'Invite a caregiver'),
    h('div', { class: 'field' }, h('label', { for: 'care-label' }, 'Who is it? (only you see this name)'), label),
    h('div', { class: 'field' }, h('label', { for: 'care-shared-as' }, 'Your name as they will see it (optional)'),
      sharedAs),
    h('fieldset', {}, h('legend', {}, 'Which measurements'), ...boxes),
    h('div', { class: 'field' }, h('label', { for: 'care-resolution' }, 'Most detail they may see'), resolution),
    h('fieldset', {}, h('legend', {}, 'Which times of your data'),
      h('div', { class: 'check' }, windowAll, h('label', { for: 'care-window-all' }, 'All, past and future')),
      h('div', { class: 'check' }, windowSome, h('label', { for: 'care-window-some' }, 'Only between these dates')),
      h('div', { class: 'field' }, h('label', { for: 'care-from' }, 'From (first day)'), from),
      h('div', { class: 'field' }, h('label', { for: 'care-until' }, 'Until (last day; empty: no end)'), until)),
    h('div', { class: 'field' }, h('label', { for: 'care-expires' }, 'Sharing ends on'), expires),
    h('details', {},
      h('summary', {}, 'They already have an account here'),
      h('div', { class: 'field' }, h('label', { for: 'care-subject' },
        'Their account id (then no invitation code is needed)'), subject)),
    submit);
  const defaults = () => {
    const d = new Date(Date.now() + DEFAULT_DAYS * 86400000);
    expires.value = d.toISOString().slice(0, 10);
    resolution.value = 'hour';
  };
  defaults();
  const read = () => {
    const fail = (message, field) => { const e = new Error(message); e.field = field; throw e; };
    if (!label.value.trim()) fail('Please say who the caregiver is.', label);
    const metrics = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
    if (metrics.length === 0) fail('Please tick at least one measurement to share.', boxes[0].querySelector('input'));
    if (!expires.value) fail('Please choose when the sharing ends.', expires);
    const expiresAt = endOfDay(expires.value);
    if (new Date(expiresAt) <= new Date()) fail('The end of the sharing must be in the future.', expires);
    let window = null;
    if (windowSome.checked) {
      if (!from.value) fail('Please choose the first day of data they may see.', from);
      // The window's until is exclusive: the day after the last day, at midnight.
      window = { from: startOfDay(from.value), until: until.value ? nextDay(until.value) : null };
    }
    return {
      label: label.value.trim(),
      sharedAs: sharedAs.value.trim() || null,
      caregiverSubject: subject.value.trim() || null,
      metrics,
      finestResolution: resolution.value,
      window,
      expiresAt,
    };
  };
  return { el, read, submit, defaults };
}

function startOfDay(date) {
  return new Date(`${date}T00:00:00`).toISOString();
}

function nextDay(date) {
  return new Date(new Date(`${date}T00:00:00`).getTime() + 86400000).toISOString();
}

function endOfDay(date) {
  return new Date(new Date(`${date}T00:00:00`).getTime() + 86400000 - 1000).toISOString();
}

function showInvite(el, d) {
  el.replaceChildren(
    h('h2', { id: 'invite-result-heading', tabindex: '-1' }, `Invitation for ${d.label}`),
    ...(d.inviteCode
      ? [h('p', { class: 'notice once' }, h('strong', {}, 'Shown only once. '),
        'Give this code to your caregiver (in person or by a message only they read). They enter it under '
        + '"Shared with me" after logging in. Until they do, the sharing is "invited".'),
      copyField('Invitation code', d.inviteCode, 'inviteCode')]
      : [h('p', {}, 'The sharing is ready for their account; no code is needed.')]),
    h('p', {}, summary(d)));
  el.hidden = false;
  el.querySelector('#invite-result-heading').focus();
  announce(`Invitation for ${d.label} created.`);
}

function summary(d) {
  return `${d.metrics.map(metricName).join(', ')}; at most ${resolutionText(d.finestResolution)}; `
    + `${windowText(d.window)}; until ${dateText(d.expiresAt)}.`;
}

async function loadDelegations(listEl, ctx, alertEl) {
  let list;
  try {
    list = await ctx.api.get(`/owners/${ctx.owner}/delegations`);
  } catch (err) {
    setAlert(alertEl, problemText(err));
    return;
  }
  if (list.length === 0) {
    listEl.replaceChildren(h('p', { 'data-empty': 'delegations' }, 'You share nothing with a caregiver.'));
    return;
  }
  listEl.replaceChildren(h('ul', { class: 'cards' }, ...list.map((d) => {
    const actions = h('div', { class: 'actions' });
    if (d.status === 'invited' || d.status === 'active') {
      const revoke = h('button', { type: 'button', class: 'danger', 'data-revoke': d.id }, `Revoke ${d.label}`);
      revoke.addEventListener('click', async () => {
        const sure = await confirmInline(actions, `Stop sharing with ${d.label}? They lose access at their next `
          + 'request.', 'Yes, revoke');
        if (!sure) return;
        try {
          await ctx.api.del(`/owners/${ctx.owner}/delegations/${d.id}`);
          announce(`Sharing with ${d.label} revoked.`);
          await loadDelegations(listEl, ctx, alertEl);
        } catch (err) {
          setAlert(alertEl, problemText(err));
        }
      });
      actions.append(revoke);
    }
    return h('li', { class: 'card', 'data-delegation': d.id, 'data-status': d.status },
      h('h3', {}, d.label, ' ', h('span', { class: `badge status-${d.status}` }, d.status)),
      h('p', {}, summary(d)),
      h('p', { class: 'muted' }, `Created ${dateText(d.createdAt)}`
        + (d.acceptedAt ? `; accepted ${dateText(d.acceptedAt)}` : '')
        + (d.sharedAs ? `; you appear to them as "${d.sharedAs}"` : '')),
      actions);
  })));
}

// ---- the caregiver ------------------------------------------------------------------------------

async function renderCaregiver(root, ctx) {
  const alertEl = h('div', { role: 'alert', class: 'alert', hidden: '' });
  const code = h('input', { id: 'invite-code', type: 'text', required: '', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'characters' });
  const submit = h('button', { type: 'submit' }, 'Accept invitation');
  const form = h('form', { class: 'stack', 'aria-labelledby': 'accept-heading' },
    h('h2', { id: 'accept-heading' }, 'Accept an invitation'),
    h('div', { class: 'field' }, h('label', { for: 'invite-code' }, 'Invitation code you were given'), code),
    submit);
  const listEl = h('div', { id: 'shared-list', 'aria-live': 'polite' });
  root.replaceChildren(
    h('h1', {}, 'Shared with me'),
    h('p', {}, 'People who asked you to look after them share part of their health data with you, '
      + 'read-only. They see each time you read it.'),
    alertEl,
    form,
    h('section', { 'aria-labelledby': 'shared-heading' },
      h('h2', { id: 'shared-heading' }, 'What is shared with you'),
      listEl));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    setAlert(alertEl, '');
    const value = code.value.trim();
    if (!value) {
      setAlert(alertEl, 'Please enter the invitation code.');
      code.focus();
      return;
    }
    submit.disabled = true;
    try {
      const d = await ctx.api.post('/caregivers/me/invites', { code: value });
      form.reset();
      announce(`Invitation accepted: ${d.sharedAs || 'a person'} shares ${d.metrics.map(metricName).join(', ')}.`);
      await loadShared(listEl, ctx, alertEl);
    } catch (err) {
      setAlert(alertEl, err.status === 404
        ? 'This code is not valid: it may be mistyped, already used, revoked or expired.'
        : problemText(err));
    } finally {
      submit.disabled = false;
    }
  });
  await loadShared(listEl, ctx, alertEl);
}

async function loadShared(listEl, ctx, alertEl) {
  let list;
  try {
    list = await ctx.api.get('/caregivers/me/delegations');
  } catch (err) {
    setAlert(alertEl, problemText(err));
    return;
  }
  if (list.length === 0) {
    listEl.replaceChildren(h('p', { 'data-empty': 'shared' }, 'Nothing is shared with you yet.'));
    return;
  }
  listEl.replaceChildren(h('ul', { class: 'cards' }, ...list.map((d) => h('li', { class: 'card' },
    h('h3', {}, h('a', { href: `#/care/${d.id}`, 'data-delegation': d.id }, d.sharedAs || 'Someone who shares with you')),
    h('p', {}, summary(d))))));
}
