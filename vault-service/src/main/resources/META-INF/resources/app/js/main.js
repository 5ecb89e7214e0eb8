// The router: hash routes → page modules (pages/<name>.js, each `export async function render(root, ctx)`).
// Each navigation gets a fresh <main id="main" data-page="<name>">; the page sets data-ready="true"
// once its data has rendered. Focus moves to the new page's heading on every route change.
import { api } from './api.js';
import { session } from './session.js';
import { h, clear, heading, announce, problemText } from './ui.js';

const OWNER = ['owner'];
/** [pattern, page module, names of the pattern's groups, roles allowed] */
const ROUTES = [
  [/^\/home$/, 'home', [], OWNER],
  [/^\/chart\/([A-Za-z0-9_]+)$/, 'chart', ['metric'], OWNER],
  [/^\/devices$/, 'devices', [], OWNER],
  [/^\/consent$/, 'consent', [], OWNER],
  [/^\/uses$/, 'uses', [], OWNER],
  [/^\/audit$/, 'audit', [], OWNER],
  [/^\/account$/, 'account', [], OWNER],
  [/^\/notifications$/, 'notifications', [], OWNER],
  [/^\/care$/, 'care', [], ['owner', 'caregiver']],
  [/^\/care\/([A-Za-z0-9-]+)$/, 'caregiver', ['delegationId'], ['caregiver']],
  [/^\/care\/([A-Za-z0-9-]+)\/([A-Za-z0-9_]+)$/, 'caregiver', ['delegationId', 'metric'], ['caregiver']],
  [/^\/emergency$/, 'emergency', [], OWNER],
  [/^\/clinician$/, 'clinician', [], ['clinician']],
];

const NAV = {
  owner: [['#/home', 'Home'], ['#/devices', 'Devices'], ['#/consent', 'Consent'], ['#/uses', 'Data uses'], ['#/audit', 'Audit log'],
    ['#/notifications', 'Notifications'], ['#/care', 'Caregivers'], ['#/emergency', 'Emergency access'],
    ['#/account', 'Account']],
  caregiver: [['#/care', 'Shared with me']],
  clinician: [['#/clinician', 'Emergency access']],
};

let generation = 0;
let firstRoute = true;

/** '#/chart/hr?from=a&until=b' → {path: '/chart/hr', query: {from, until}} */
export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
  return { path, query };
}

/** Goes to a route ('#/x', '/x' or 'x'). */
export function navigate(route) {
  const target = '#' + String(route).replace(/^#/, '').replace(/^(?!\/)/, '/');
  if (location.hash === target) render();
  else location.hash = target;
}

/** Rewrites the current route's query (e.g. a chart's zoomed range) without re-rendering the page. */
function updateQuery(values) {
  const { path, query } = parseHash();
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined) delete query[k];
    else query[k] = v;
  }
  const qs = new URLSearchParams(query).toString();
  history.replaceState(null, '', location.pathname + location.search + '#' + path + (qs ? '?' + qs : ''));
}

function freshMain(page) {
  const old = document.getElementById('main');
  const main = h('main', { id: 'main', tabindex: '-1', dataset: { page } });
  old.replaceWith(main);
  return main;
}

/** The nav's unread badge (#nav-unread, next to Notifications): the count, or hidden at 0. */
function setUnread(count) {
  const badge = document.getElementById('nav-unread');
  if (!badge) return;
  badge.hidden = !(count > 0);
  badge.replaceChildren(...(count > 0 ? [String(count), h('span', { class: 'visually-hidden' }, ' unread')] : []));
}

/** Asks the vault for the owner's unread count after each navigation; a failure just leaves no badge. */
async function refreshUnread() {
  try {
    const owner = await session.ownerId();
    setUnread((await api.get(`/owners/${owner}/notifications/unread`)).count);
  } catch (e) {
    setUnread(0);
  }
}

function renderNav(path) {
  const nav = clear(document.getElementById('nav'));
  if (!session.signedIn()) return;
  const links = NAV[session.role] || [];
  const items = links.map(([href, label]) => {
    const current = ('#' + path) === href || (href !== '#/home' && ('#' + path).startsWith(href + '/'));
    return h('li', {}, h('a', { href, 'aria-current': current ? 'page' : null }, label,
      href === '#/notifications' ? h('span', { id: 'nav-unread', class: 'badge', hidden: true }) : null));
  });
  items.push(h('li', {}, h('button', { type: 'button', class: 'secondary', id: 'logout', onclick: () => session.logout() },
    'Sign out' + (session.subject ? ` (${session.subject})` : ''))));
  nav.appendChild(h('ul', {}, items));
}

async function renderLogin(query, error) {
  const main = freshMain('login');
  renderNav('/login');
  main.append(heading('Vital Vault'));
  main.append(h('div', { role: 'alert' }, error ? problemText(error) : null));
  if (query.expired) main.append(h('p', { class: 'notice' }, 'Your session has ended. Please sign in again.'));
  if (session.signedIn() && !NAV[session.role]) {
    main.append(h('p', {}, 'This app is for owners, caregivers and clinicians. Your role (',
      session.role || 'none', ') uses the API or the command line.'));
    main.dataset.ready = 'true';
    return main;
  }
  main.append(h('p', {}, 'Your health data, in your hands: see it, decide who may use it, and see who did.'));
  const button = h('button', { type: 'button', id: 'login' }, 'Sign in');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await session.login(sessionStorage.getItem('vv.returnTo') || '');
    } catch (e) {
      button.disabled = false;
      main.querySelector('[role=alert]').textContent = problemText(e);
    }
  });
  main.append(button);
  try {
    const config = await session.config();
    if (config.devLogin) {
      main.append(h('p', { class: 'muted' }, 'Local stack: the development login lets you pick any subject and role.'));
    }
  } catch (e) {
    main.querySelector('[role=alert]').textContent = problemText(e);
  }
  main.dataset.ready = 'true';
  return main;
}

async function render() {
  const mine = ++generation;
  const { path, query } = parseHash();
  const moveFocus = !firstRoute;
  firstRoute = false;
  if (path === '/login' || !session.signedIn()) {
    if (path !== '/login' && path !== '/') sessionStorage.setItem('vv.returnTo', location.hash);
    const main = await renderLogin(query);
    if (moveFocus) focusHeading(main);
    return;
  }
  if (path === '/' || path === '') {
    navigate(session.landing());
    return;
  }
  let match = null;
  for (const [pattern, page, names, roles] of ROUTES) {
    const m = pattern.exec(path);
    if (m) {
      match = { page, roles, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
      break;
    }
  }
  if (!match) {
    renderNav(path);
    const main = freshMain('not-found');
    main.append(heading('Page not found'), h('p', {}, h('a', { href: session.landing() }, 'Go to the start page')));
    main.dataset.ready = 'true';
    if (moveFocus) focusHeading(main);
    return;
  }
  if (!match.roles.includes(session.role)) {
    navigate(session.landing());
    return;
  }
  renderNav(path);
  if (session.role === 'owner') refreshUnread();
  const main = freshMain(match.page);
  const ctx = {
    api, session, params: { ...query, ...match.params }, navigate, updateQuery, setUnread,
    /** True while this page is still the one shown (a slow fetch must not draw into a newer page). */
    current: () => mine === generation,
  };
  try {
    const module = await import(`./pages/${match.page}.js`);
    if (mine !== generation) return;
    const rendering = module.render(main, ctx);
    if (moveFocus) {
      // Focus the heading as soon as it exists (pages render it first), then announce nothing more.
      queueMicrotask(() => focusHeading(main));
    }
    await rendering;
  } catch (e) {
    if (mine !== generation) return;
    let box = main.querySelector('[role=alert]');
    if (!box) {
      box = h('div', { role: 'alert' });
      main.prepend(box);
    }
    box.textContent = problemText(e);
    announce(problemText(e));
  }
}

function focusHeading(main) {
  const target = main.querySelector('h1') || main;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
}

async function start() {
  document.getElementById('skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    const main = document.getElementById('main');
    (main.querySelector('h1') || main).focus();
  });
  document.getElementById('brand').addEventListener('click', (e) => {
    e.preventDefault();
    navigate(session.signedIn() ? session.landing() : '/login');
  });
  let loginError = null;
  try {
    const returnTo = await session.completeLogin();
    if (returnTo !== null) {
      const target = returnTo && !returnTo.startsWith('#/login') ? returnTo : session.landing();
      history.replaceState(null, '', location.pathname + target);
    }
  } catch (e) {
    loginError = e;
  }
  window.addEventListener('hashchange', render);
  if (loginError) {
    firstRoute = false;
    await renderLogin({}, loginError);
    return;
  }
  await render();
}

start();
