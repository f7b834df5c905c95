/** The field app's API client: the core's fetch wrapper with the CSRF token kept in IndexedDB. */
import {getMeta, phoneId, setMeta} from './db.js';
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
  const phone_id = await phoneId(); // the answer then carries this phone's file-signing key
  const {body} = await api.post('/api/v1/auth/login', {username, password, remember, phone_id});
  await setMeta('csrf', body.csrf_token);
  await setMeta('user', body.user);
  if (body.phone_key) await keepPhoneKey(body.phone_key, body.user);
  return body.user;
}

/** Keep a sign-in's file key (docs/handover-file.md) by key id: a receipt names the key it was
 *  signed with, which may be an earlier sign-in's. */
async function keepPhoneKey(key, user) {
  const keys = await getMeta('phone_keys', {});
  keys[key.key_id] = {...key, user_id: user.id, username: user.username, issued_at: Date.now()};
  await setMeta('phone_keys', keys);
}

/** Forget a user's file keys on sign-out (the server revoked them with the session). */
export async function forgetPhoneKeys(username) {
  const keys = await getMeta('phone_keys', {});
  for (const [id, key] of Object.entries(keys)) if (key.username === username) delete keys[id];
  await setMeta('phone_keys', keys);
}
