/** fetch wrapper: JSON, same-origin cookies, X-CSRF-Token on writes, one error shape, retry once on a stale token. */
import {getMeta, setMeta} from './db.js';

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.codeName = err.code_name || null;
    this.fieldErrors = err.errors || null;
  }
}

/** The network itself failed (offline, DNS, reset): retry later. */
export class NetworkError extends Error {}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function rawFetch(method, url, {json, body, headers = {}} = {}) {
  const h = {Accept: 'application/json', ...headers};
  if (WRITE.has(method)) h['X-CSRF-Token'] = (await getMeta('csrf')) || '';
  if (json !== undefined) { h['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  try {
    return await fetch(url, {method, headers: h, body, credentials: 'same-origin', cache: 'no-store'});
  } catch (e) {
    throw new NetworkError(e.message);
  }
}

async function parse(response) {
  const type = response.headers.get('Content-Type') || '';
  if (response.status === 204 || !type.includes('json')) return null;
  try { return await response.json(); } catch { return null; }
}

/** Re-read the session to get a fresh CSRF token (and the user); 401 raises. */
export async function refreshMe() {
  const response = await rawFetch('GET', '/api/v1/auth/me');
  const body = await parse(response);
  if (!response.ok) throw new ApiError(response.status, body);
  await setMeta('csrf', body.csrf_token);
  await setMeta('user', body.user);
  return body;
}

/** Call the API; returns {status, body}; raises ApiError for >= 400 and NetworkError when offline. */
export async function request(method, url, options = {}) {
  let response = await rawFetch(method, url, options);
  let body = await parse(response);
  if (response.status === 400 && body?.error?.code_name === 'csrf' && WRITE.has(method)) {
    await refreshMe();
    response = await rawFetch(method, url, options);
    body = await parse(response);
  }
  if (response.status >= 400) throw new ApiError(response.status, body);
  return {status: response.status, body};
}

export const api = {
  get: (url) => request('GET', url),
  post: (url, json) => request('POST', url, {json}),
  head: (url) => request('HEAD', url),
  putBytes: (url, bytes, contentType) => request('PUT', url, {body: bytes, headers: {'Content-Type': contentType}}),
};

export async function login(username, password, remember = true) {
  const {body} = await api.post('/api/v1/auth/login', {username, password, remember});
  await setMeta('csrf', body.csrf_token);
  await setMeta('user', body.user);
  return body.user;
}
