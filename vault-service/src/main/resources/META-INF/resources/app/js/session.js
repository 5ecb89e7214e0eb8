// Login by OIDC authorization code with PKCE (S256), state and nonce, against whatever provider
// /app/config.json names (the development login of the local stack, or e.g. Keycloak). The access
// token lives in sessionStorage only: gone when the tab closes, never in a cookie or localStorage,
// never in a URL (docs/decisions/044).

const TOKEN = 'vv.token';
const PENDING = 'vv.login';
const RETURN_TO = 'vv.returnTo';
// The owner id of this tab's token: a page load then asks for its data at once instead of after GET /owners/me.
const OWNER = 'vv.owner';
const ROLE_ORDER = ['owner', 'caregiver', 'clinician', 'researcher', 'operator'];

let configPromise = null;
let claims = null;
let ownerIdPromise = null;

/** The token's signature tail: ties a remembered owner id to the token it was read with, without a second copy of the token. */
function tokenTail(token) {
  return token.slice(-16);
}

function loadConfig() {
  if (!configPromise) {
    configPromise = fetch('/app/config.json', { cache: 'no-store', credentials: 'omit' }).then(async r => {
      if (!r.ok) {
        configPromise = null;
        let problem = null;
        try { problem = await r.json(); } catch (e) { /* not JSON */ }
        const err = new Error((problem && problem.detail) || 'The login settings could not be loaded.');
        err.status = r.status;
        err.problem = problem;
        throw err;
      }
      return r.json();
    });
  }
  return configPromise;
}

function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return base64url(a);
}

async function s256(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** The JSON payload of a JWT (not verified here: the vault verifies every token it is sent). */
function payload(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part), c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch (e) {
    return null;
  }
}

function rolesOf(p) {
  const found = new Set([...(p.groups || []), ...((p.realm_access && p.realm_access.roles) || [])]);
  return ROLE_ORDER.filter(r => found.has(r));
}

/** The redirect URI: the app's own page, whatever hash route the user was on. */
function redirectUri() {
  return location.origin + '/app/';
}

function absolute(endpoint) {
  return new URL(endpoint, location.origin).toString();
}

function readToken() {
  const token = sessionStorage.getItem(TOKEN);
  if (!token) return null;
  const p = payload(token);
  // Expired (with a minute's margin): sign in again rather than send a token the vault refuses.
  if (!p || (p.exp && p.exp * 1000 < Date.now() + 60_000)) {
    sessionStorage.removeItem(TOKEN);
    return null;
  }
  claims = p;
  return token;
}

export const session = {
  /** The bearer token, or null when signed out. */
  token() {
    return readToken();
  },

  signedIn() {
    return readToken() !== null;
  },

  /** The app's role for this user: the first of owner, caregiver, clinician, researcher, operator held. */
  get role() {
    return readToken() ? (rolesOf(claims)[0] || null) : null;
  },

  get roles() {
    return readToken() ? rolesOf(claims) : [];
  },

  get subject() {
    return readToken() ? (claims.preferred_username || claims.upn || claims.sub) : null;
  },

  /** Settings from /app/config.json. */
  config: loadConfig,

  /**
   * The caller's owner id (GET /owners/me); an owner signing in for the first time is registered
   * (POST /owners) then. Resolves once per session.
   */
  ownerId() {
    if (!ownerIdPromise) {
      const token = sessionStorage.getItem(TOKEN);
      const known = JSON.parse(sessionStorage.getItem(OWNER) || 'null');
      if (known && token && known.token === tokenTail(token)) {
        ownerIdPromise = Promise.resolve(known.id);
        return ownerIdPromise;
      }
      ownerIdPromise = (async () => {
        const { api, ApiError } = await import('./api.js');
        try {
          return (await api.get('/owners/me')).id;
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) {
            try {
              return (await api.post('/owners')).id;
            } catch (e2) {
              // Registered meanwhile (another tab): read it again.
              if (e2 instanceof ApiError && e2.status === 409) return (await api.get('/owners/me')).id;
              throw e2;
            }
          }
          throw e;
        }
      })();
      ownerIdPromise.then(id => {
        if (token) sessionStorage.setItem(OWNER, JSON.stringify({ token: tokenTail(token), id }));
      }, () => { ownerIdPromise = null; });
    }
    return ownerIdPromise;
  },

  /** Starts the code flow: remembers verifier, state and nonce in this tab, goes to the provider. */
  async login(returnTo) {
    const config = await loadConfig();
    const verifier = randomString(48);
    const state = randomString(24);
    const nonce = randomString(24);
    const challenge = await s256(verifier);
    sessionStorage.setItem(PENDING, JSON.stringify({
      verifier, state, nonce, redirectUri: redirectUri(), tokenEndpoint: absolute(config.tokenEndpoint),
      clientId: config.clientId,
    }));
    if (returnTo) sessionStorage.setItem(RETURN_TO, returnTo);
    const url = new URL(absolute(config.authorizationEndpoint));
    const q = url.searchParams;
    q.set('response_type', 'code');
    q.set('client_id', config.clientId);
    q.set('redirect_uri', redirectUri());
    q.set('scope', config.scope || 'openid');
    q.set('state', state);
    q.set('nonce', nonce);
    q.set('code_challenge', challenge);
    q.set('code_challenge_method', 'S256');
    location.assign(url.toString());
  },

  /**
   * If this page load is the provider's redirect back (?code=…&state=… or ?error=…), finishes the
   * login: checks the state, exchanges code + verifier for a token, checks the nonce of an ID token.
   * Returns the hash route to continue at (or null when this was no callback). Throws on refusal.
   */
  async completeLogin() {
    const params = new URLSearchParams(location.search);
    if (!params.has('code') && !params.has('error')) return null;
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    sessionStorage.removeItem(PENDING);
    // The code and state must not stay in the address bar or history.
    history.replaceState(null, '', location.pathname + location.hash);
    if (params.has('error')) {
      throw new Error('The login provider refused: ' + (params.get('error_description') || params.get('error')));
    }
    if (!pending || params.get('state') !== pending.state) {
      throw new Error('This login answer was not started in this tab (state mismatch); please sign in again.');
    }
    const body = new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: pending.redirectUri,
      client_id: pending.clientId, code_verifier: pending.verifier,
    });
    const r = await fetch(pending.tokenEndpoint, {
      method: 'POST', body, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
      headers: { Accept: 'application/json' },
    });
    const answer = await r.json().catch(() => ({}));
    if (!r.ok || !answer.access_token) {
      throw new Error('The login could not be completed: ' + (answer.detail || answer.error_description || answer.error || r.status));
    }
    if (answer.id_token) {
      const id = payload(answer.id_token);
      if (!id || id.nonce !== pending.nonce) throw new Error('The login answer was not for this request (nonce mismatch).');
    }
    sessionStorage.setItem(TOKEN, answer.access_token);
    sessionStorage.removeItem(OWNER);
    ownerIdPromise = null;
    const returnTo = sessionStorage.getItem(RETURN_TO);
    sessionStorage.removeItem(RETURN_TO);
    return returnTo || '';
  },

  /** The owner id is gone (the vault was erased): the next page asks GET /owners/me again. */
  forgetOwner() {
    sessionStorage.removeItem(OWNER);
    ownerIdPromise = null;
  },

  /** Signs out of the app (this tab's token is forgotten). */
  logout() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(OWNER);
    sessionStorage.removeItem(RETURN_TO);
    claims = null;
    ownerIdPromise = null;
    location.hash = '#/login';
  },

  /** The vault answered 401: the token is no longer good. Back to the login page, then here again. */
  expired() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(OWNER);
    claims = null;
    ownerIdPromise = null;
    if (!location.hash.startsWith('#/login')) {
      sessionStorage.setItem(RETURN_TO, location.hash);
      location.hash = '#/login?expired=1';
    }
  },

  /** Where a role lands after login. */
  landing(role = this.role) {
    return { owner: '#/home', caregiver: '#/care', clinician: '#/clinician' }[role] || '#/login?role=unsupported';
  },
};
