/** Where a sign-in may send the user, and which app a label's device URL opens for a role:
 *  shared by the field app and the office pages so both answer the same. */

const MANAGERS = ['supervisor', 'admin'];
const DEVICE_PATH = /^\/d\/([^/?#]+)/i;  // a label's URL: {LABEL_URL_BASE}/d/{tag} (labels/model.py)
const OFFICE_DEVICE = /^\/devices\/([^/?#]+)$/;

/** A return path that stays on this site: "/..." only, never "//host", "/\host", a scheme or a
 *  control character (browsers read "/\evil" and "/\t/evil" as another host). null otherwise. */
export function safeReturn(next, origin = globalThis.location?.origin) {
  if (typeof next !== 'string' || next.length > 2048 || !/^\/(?![/\\])/.test(next)) return null;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return null;
  let url;
  try { url = new URL(next, origin); } catch { return null; }
  if (url.origin !== origin) return null;
  return url.pathname + url.search + url.hash;
}

/** The tag of a label's device URL (/d/<tag>, /d/<tag>/...), else null. */
export function labelTag(path) {
  const m = DEVICE_PATH.exec(path || '');
  return m ? decodeURIComponent(m[1]) : null;
}

const officeDevice = (tag) => `/devices/${encodeURIComponent(tag)}`;

export const OFFICE_LANDING = '/dashboard';

/** Where the field app sends a signed-in user instead of `path` (null: the field app serves it).
 *  The client's viewer gets no field app at all (no field pack): the office device page, read
 *  only, or the dashboard. A supervisor or admin who opened a label (fromLabel) gets the
 *  office device page; "?field=1" (its link back to the field app) keeps them here. Just
 *  signed in (landing) at the app's root, a supervisor or admin lands on the dashboard: a
 *  label's URL or ?next= still wins, and later visits to / stay on the field app. */
export function officeFor(role, path, {fromLabel = false, search = '', landing = false} = {}) {
  const tag = labelTag(path);
  if (role === 'viewer') return tag ? officeDevice(tag) : OFFICE_LANDING;
  const here = !/[?&]field=1\b/.test(search);
  if (tag && fromLabel && MANAGERS.includes(role) && here) return officeDevice(tag);
  if (landing && (path || '/') === '/' && MANAGERS.includes(role) && here) return OFFICE_LANDING;
  return null;
}

/** Where the office pages send a signed-in user instead of `path` (null: stay): an engineer
 *  opening an office device page works on the field app's device page. */
export function fieldFor(role, path) {
  const m = OFFICE_DEVICE.exec(path || '');
  return m && role === 'engineer' ? `/d/${m[1]}` : null;
}
