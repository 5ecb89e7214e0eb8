// The vault's REST API from the browser: same origin, the bearer token from the session, problem
// bodies thrown as ApiError. A 401 means the token is gone or expired: back to login.
import { session } from './session.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) ? (problem.detail || problem.title) : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
  /** The last segment of the problem type, e.g. "too-many-readings", or null. */
  get code() {
    const t = this.problem && this.problem.type;
    return t ? t.substring(t.lastIndexOf('/') + 1) : null;
  }
}

async function request(method, path, body, accept = 'application/json') {
  const headers = { Accept: accept };
  const token = session.token();
  if (token) headers.Authorization = 'Bearer ' + token;
  const init = { method, headers, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    session.expired();
    throw new ApiError(401, { title: 'Signed out', detail: 'Your session has ended; please sign in again.' });
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (e) {
      problem = null;
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

async function json(method, path, body) {
  const response = await request(method, path, body);
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const api = {
  get: (path) => json('GET', path),
  post: (path, body) => json('POST', path, body === undefined ? {} : body),
  put: (path, body) => json('PUT', path, body === undefined ? {} : body),
  del: (path) => json('DELETE', path),
  /** Fetches path with the token and saves it as filename (a blob URL, revoked afterwards). */
  async download(path, filename, accept = '*/*') {
    const response = await request('GET', path, undefined, accept);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    return blob;
  },
  /** The raw Response (for callers needing headers or a blob). */
  raw: (method, path, body, accept) => request(method, path, body, accept),
};
