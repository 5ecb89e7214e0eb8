// #/notifications — the owner's in-app feed (DESIGN-16 notifications REST), newest first, with the
// unread ones marked; "mark all read" marks every notice up to the newest shown, and the nav's
// unread badge follows.
import { h, fill, showError, announce, fmtTime, actionButton, setUnread, ensureStyles, ownerIdOf } from '../page-kit.js';
import { heading } from '../ui.js';

/** NoticeKind names in words. */
export const KIND_LABELS = Object.freeze({
  CONSENT_CHANGE: 'Consent',
  DATA_USE: 'Data use',
  CAREGIVER_READ: 'Caregiver',
  CAREGIVER_CHANGE: 'Caregiver',
  BREAK_GLASS: 'Emergency access',
  DEVICE: 'Device',
  ACCOUNT: 'Account',
});

const PAGE = 50;

/** Fetches the unread count and sets the nav badge; for the shell to call on start and navigation. */
export async function refreshUnread(ctx) {
  const r = await ctx.api.get(`/owners/${await ownerIdOf(ctx)}/notifications/unread`);
  setUnread(ctx, r.count);
  return r.count;
}

export async function render(root, ctx) {
  ensureStyles();
  // The heading first and at once: the shell focuses it as soon as the page starts.
  root.append(heading('Notifications'));
  const { api } = ctx;
  const base = `/owners/${await ownerIdOf(ctx)}/notifications`;
  const errors = h('div', { class: 'vv-errors' });
  const status = h('p', { id: 'notifications-status', 'aria-live': 'polite' });
  const listEl = h('div', { id: 'notification-list' });
  const onlyUnread = h('input', { type: 'checkbox', id: 'notifications-unread-only' });
  let shown = [];
  let limit = PAGE;

  const markAll = actionButton('Mark all as read', async () => {
    if (shown.length === 0) return;
    try {
      const upTo = Math.max(...shown.map((n) => n.id));
      const r = await api.post(`${base}/read`, { upTo });
      setUnread(ctx, r.count);
      announce(r.count === 0 ? 'All notifications read' : `${r.count} unread left`);
      await load();
    } catch (e) {
      showError(errors, e);
    }
  }, { id: 'notifications-mark-read' });
  const more = actionButton('Show older', async () => {
    limit += PAGE;
    await load();
  }, { id: 'notifications-more' });
  onlyUnread.addEventListener('change', () => load());

  root.append(
    errors,
    h('div', { class: 'vv-toolbar' },
      h('span', { class: 'vv-check' }, onlyUnread, h('label', { for: 'notifications-unread-only' }, 'Unread only')),
      ' ', markAll),
    status,
    listEl);

  async function load() {
    try {
      const [items, unread] = await Promise.all([
        api.get(`${base}?unread=${onlyUnread.checked}&limit=${limit}&offset=0`),
        api.get(`${base}/unread`),
      ]);
      shown = items;
      setUnread(ctx, unread.count);
      fill(status, unread.count === 0 ? 'No unread notifications.' : `${unread.count} unread.`);
      fill(listEl, items.length === 0 ? h('p', {}, 'Nothing here yet.') : h('ol', { class: 'vv-feed' }, items.map((n) =>
        h('li', { 'data-notification': String(n.id), 'data-kind': n.kind, 'data-read': String(n.read), class: n.read ? 'vv-read' : 'vv-unread' },
          h('p', {}, h('strong', {}, (KIND_LABELS[n.kind] || n.kind) + (n.read ? '' : ' (new)') + ': '), n.text),
          h('p', { class: 'vv-meta' }, fmtTime(n.createdAt))))),
        items.length >= limit ? h('p', {}, more) : null);
      markAll.hidden = unread.count === 0;
    } catch (e) {
      showError(errors, e);
    }
  }

  await load();
  root.dataset.ready = 'true';
}
