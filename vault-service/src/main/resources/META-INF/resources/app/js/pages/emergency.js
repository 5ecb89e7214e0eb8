// #/emergency: the owner's break-glass switch. Off by default; when on, a clinician holding the
// emergency code may open the owner's latest values and last 24 h for a bounded time, stating a
// reason; the owner is notified at once, sees every episode with its accesses and can end it.
import { h, fmtTime, announce, problemText } from '../ui.js';
import { metricName, durationText, dateText, copyField, confirmInline, setAlert } from '../carekit.js';

export async function render(root, ctx) {
  const alertEl = h('div', { role: 'alert', class: 'alert', hidden: '' });
  const stateEl = h('section', { id: 'emergency-state', 'aria-labelledby': 'state-heading' });
  const codeEl = h('section', { id: 'emergency-code', 'aria-live': 'polite', hidden: '' });
  const episodesEl = h('div', { id: 'episode-list' });
  root.replaceChildren(
    h('h1', {}, 'Emergency access'),
    alertEl,
    stateEl,
    codeEl,
    h('section', { 'aria-labelledby': 'episodes-heading' },
      h('h2', { id: 'episodes-heading' }, 'Emergency openings'),
      episodesEl));
  ctx = { ...ctx, owner: await ctx.session.ownerId() };
  const page = { ctx, alertEl, stateEl, codeEl, episodesEl };
  await Promise.all([loadState(page), loadEpisodes(page)]);
  root.dataset.ready = 'true';
}

function explanation(duration) {
  const d = durationText(duration || 'PT1H');
  return [
    h('p', {}, 'When emergency access is on, a clinician who has your emergency code (keep it on a card in your '
      + 'wallet or on your phone\'s lock screen) can open your data when you cannot give consent yourself.'),
    h('ul', {},
      h('li', {}, 'They must give a reason, which is recorded with everything they look at.'),
      h('li', {}, `They see your latest values and the last 24 hours, read-only, for ${d} each time.`),
      h('li', {}, 'You are notified at once, and you see here who opened it, why and what they read.'),
      h('li', {}, 'You can end an opening at any time, and turn emergency access off.')),
  ];
}

async function loadState(page) {
  const { ctx, alertEl, stateEl } = page;
  let state;
  try {
    state = await ctx.api.get(`/owners/${ctx.owner}/emergency-access`);
  } catch (err) {
    setAlert(alertEl, problemText(err));
    return;
  }
  const status = h('p', { 'data-emergency-enabled': String(!!state.enabled), class: 'status' },
    state.enabled
      ? h('strong', {}, `Emergency access is on (since ${dateText(state.enabledAt)}).`)
      : h('strong', {}, 'Emergency access is off.'));
  const actions = h('div', { class: 'actions' });
  if (state.enabled) {
    const renew = h('button', { type: 'button', 'data-action': 'new-code' }, 'Make a new code');
    const off = h('button', { type: 'button', class: 'danger', 'data-action': 'disable' }, 'Turn emergency access off');
    renew.addEventListener('click', async () => {
      const sure = await confirmInline(actions, 'Make a new code? The old one stops working at once.', 'Yes, new code');
      if (sure) await setEnabled(page, true);
    });
    off.addEventListener('click', async () => {
      const sure = await confirmInline(actions, 'Turn emergency access off? Open emergency openings end now and '
        + 'the code stops working.', 'Yes, turn off');
      if (sure) await setEnabled(page, false);
    });
    actions.append(renew, ' ', off);
  } else {
    const on = h('button', { type: 'button', 'data-action': 'enable' }, 'Turn emergency access on');
    on.addEventListener('click', () => setEnabled(page, true));
    actions.append(on);
  }
  stateEl.replaceChildren(h('h2', { id: 'state-heading' }, 'Your setting'), ...explanation(state.duration), status, actions);
}

async function setEnabled(page, enabled) {
  const { ctx, alertEl, codeEl } = page;
  setAlert(alertEl, '');
  try {
    const state = await ctx.api.put(`/owners/${ctx.owner}/emergency-access`, { enabled });
    if (enabled && state.emergencyCode) {
      showCode(codeEl, state);
    } else {
      codeEl.replaceChildren();
      codeEl.hidden = true;
    }
    announce(enabled ? 'Emergency access is on. Your code is shown once, below.' : 'Emergency access is off.');
    await Promise.all([loadState(page), loadEpisodes(page)]);
    if (enabled) codeEl.querySelector('h2')?.focus();
  } catch (err) {
    setAlert(alertEl, problemText(err));
  }
}

function showCode(el, state) {
  el.replaceChildren(
    h('h2', { tabindex: '-1' }, 'Your emergency code'),
    h('p', { class: 'notice once' }, h('strong', {}, 'Shown only once. '),
      'Write it on a card you carry, or put it on your phone\'s lock screen. Anyone holding it and a clinician '
      + 'login can open your data in an emergency; if it is lost, make a new code.'),
    copyField('Emergency code', state.emergencyCode, 'emergencyCode'),
    h('button', { type: 'button', 'data-action': 'hide-code' }, 'I have written it down: hide it'));
  el.querySelector('[data-action="hide-code"]').addEventListener('click', () => {
    el.replaceChildren();
    el.hidden = true;
    announce('Emergency code hidden.');
  });
  el.hidden = false;
}

function isOpen(e) {
  return e.status ? e.status === 'open' : !e.endedAt && Date.parse(e.expiresAt) > Date.now();
}

const ENDED_BY = { owner: 'ended by you', disabled: 'ended when you turned emergency access off' };

async function loadEpisodes(page) {
  const { ctx, alertEl, episodesEl } = page;
  let episodes;
  try {
    episodes = await ctx.api.get(`/owners/${ctx.owner}/emergency-episodes`);
  } catch (err) {
    setAlert(alertEl, problemText(err));
    return;
  }
  if (episodes.length === 0) {
    episodesEl.replaceChildren(h('p', { 'data-empty': 'episodes' }, 'Nobody has opened your data in an emergency.'));
    return;
  }
  episodesEl.replaceChildren(h('ul', { class: 'cards' }, ...episodes.map((e) => {
    const open = isOpen(e);
    const actions = h('div', { class: 'actions' });
    if (open) {
      const end = h('button', { type: 'button', class: 'danger', 'data-end-episode': e.id }, 'End now');
      end.addEventListener('click', async () => {
        try {
          await ctx.api.post(`/owners/${ctx.owner}/emergency-episodes/${e.id}/end`, {});
          announce('Emergency opening ended.');
          await loadEpisodes(page);
        } catch (err) {
          setAlert(alertEl, problemText(err));
        }
      });
      actions.append(end);
    }
    const accesses = e.accesses || [];
    return h('li', { class: 'card', 'data-episode': e.id, 'data-open': String(open), 'data-status': e.status || '' },
      h('h3', {}, open ? 'Open now' : 'Ended', ': ', `opened ${fmtTime(e.startedAt)}`),
      h('dl', {},
        h('dt', {}, 'Clinician'), h('dd', { 'data-episode-clinician': '' }, e.clinician),
        h('dt', {}, 'Reason they gave'), h('dd', { 'data-episode-reason': '' }, e.reason),
        h('dt', {}, open ? 'Access ends' : 'Ended'),
        h('dd', {}, open ? fmtTime(e.expiresAt)
          : `${fmtTime(e.endedAt || e.expiresAt)} (${e.endedBy ? ENDED_BY[e.endedBy] || e.endedBy : 'time was up'})`),
        h('dt', {}, 'What they read'),
        h('dd', { 'data-episode-accesses': String(accesses.length) }, accesses.length === 0 ? 'nothing'
          : h('ul', {}, ...accesses.map((a) => h('li', {},
            `${fmtTime(a.accessedAt)}: ${a.metric ? metricName(a.metric) : 'latest values'}`
            + (a.resolution && a.resolution !== 'latest' ? ` (${a.resolution})` : '')))))),
      actions);
  })));
}
