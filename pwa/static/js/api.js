/** The field app's API client: the core's fetch wrapper with the CSRF token kept in IndexedDB. */
import {getMeta, setMeta} from './db.js';
import {createClient, ApiError, NetworkError, parse} from '../core/api.js';

export {ApiError, NetworkError};

const client = createClient({csrf: () => getMeta('csrf'), refresh: () => refreshMe()});

/** Re-read the session to get a fresh CSRF token (and the user); 401 raises. */
export async function refreshMe() {
  const response = await fetch('/api/v1/auth/me', {headers: {Accept: 'application/json'}, credentials: 'same-origin', cache: 'no-store'})
    .catch((e) => { throw new NetworkError(e.message); });
  const body = await parse(response);
  if (!response.ok) throw new ApiError(response.status, body);
  await setMeta('csrf', body.csrf_token);
  await setMeta('user', body.user);
  return body;
}

/** Call the API; returns {status, body}; raises ApiError for >= 400 and NetworkError when offline. */
export const request = client.request;

export const api = {get: client.get, post: client.post, head: client.head, putBytes: client.putBytes};

export async function login(username, password, remember = true) {
  const {body} = await api.post('/api/v1/auth/login', {username, password, remember});
  await setMeta('csrf', body.csrf_token);
  await setMeta('user', body.user);
  return body.user;
}
