/** The outbox: records leave the phone only after the server acknowledged them; a sync loop with back-off. */
import {db, get, put, outboxByState, pendingPhotos, getMeta, setMeta, applyPack, readMany, loadConstants} from './db.js';
import {api, ApiError, NetworkError} from './api.js';
// The evidence chain (first record saved) and the housekeeping (after a good sync) load when first
// used: neither is needed to boot, and each module is one more response for a slow phone at boot.
const chain = () => import('./chain.js');

export const APP_VERSION = '0.1.0';
export const BATCH_SIZE = 50;
const BACKOFF_MIN_MS = 2000;
const BACKOFF_MAX_MS = 5 * 60 * 1000;
const SKEW_WARN_SECONDS = 300;

const listeners = new Set();
let running = null;
let again = false;
let retryTimer = null;
let backoff = BACKOFF_MIN_MS;
// lastError: null, 'offline' (no network), 'unreachable' (online, the server did not answer),
// 'server' (a 5xx) or a message; retryAt: when the back-off retries (ms).
export const status = {syncing: false, needLogin: false, lastError: null, lastSync: null, retryAt: null, neverArrived: 0};

export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }
export function emit() { for (const fn of listeners) fn({...status}); }

/** crypto.randomUUID needs a secure context; fall back to getRandomValues (same v4 layout). */
export function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Phone clock with its UTC offset, e.g. 2026-11-24T13:05:00+08:00. */
export function localIso(date = new Date()) {
  const off = -date.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const local = new Date(date.getTime() + off * 60000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(off / 60)}:${pad(off % 60)}`;
}

export const RECEIVER_ROLES = ['supervisor', 'admin']; // may send another user's records (docs/sync.md)

/** The signed-in user as a record's maker: a shared phone must never send it under another name. */
async function currentMaker() {
  const user = await getMeta('user');
  return user ? {id: user.id, username: user.username, display_name: user.display_name || user.username} : null;
}

/** May this signed-in user push the record? Theirs; one from an older app that kept no maker; or
 *  one they (a supervisor) chose to receive. Anyone else's waits for its maker. */
export function pushableBy(record, user) {
  if (!record.made_by) return true;
  return Boolean(user) && (record.made_by.username === user.username || record.received_by === user.username);
}

/** Queue a record (state waiting), with its maker. It is written to IndexedDB before this resolves. */
export async function addRecord(type, data, {position = null, photos = [], uuid = null} = {}) {
  const record = {
    uuid: uuid || newUuid(), type, client_time: localIso(), app_version: APP_VERSION, position, data,
    photos, state: 'waiting', code: null, reason: null, errors: null, server_id: null,
    created_at: Date.now(), acknowledged_at: null, made_by: await currentMaker(),
  };
  await (await chain()).addChained(record, record.made_by?.username); // phone_id, prev_hash (docs/evidence.md)
  emit();
  return record;
}

export function wire(record) {
  const {uuid, type, client_time, app_version, position, data} = record;
  const sent = {uuid, type, client_time, app_version, position, data};
  if (record.phone_id) Object.assign(sent, {phone_id: record.phone_id, prev_hash: record.prev_hash ?? null});
  if (record.made_by) sent.made_by = record.made_by.username; // the server checks it against the session
  return sent;
}

/** Visits go first so the server knows the visit before the inspections that name it. */
export function pushOrder(a, b) {
  return (a.type === 'visit' ? 0 : 1) - (b.type === 'visit' ? 0 : 1) || a.created_at - b.created_at;
}

export async function applyResults(batch, results, batchSkew = null) {
  const byUuid = new Map(results.map((r) => [r.uuid, r]));
  const d = await db();
  const tx = d.transaction('outbox', 'readwrite');
  let skew = 0;
  for (const record of batch) {
    const result = byUuid.get(record.uuid);
    if (!result) continue; // no answer: stays waiting, sent again next time (harmless: idempotent server)
    const current = await tx.store.get(record.uuid);
    if (result.code === 'other_user') {
      continue; // not ours to send (another tab pushed it after a switch of user): stays waiting for its maker
    } else if (result.status === 'created' || result.status === 'duplicate') {
      Object.assign(current, {state: 'sent', server_id: result.id ?? null, code: null, reason: null, errors: null, acknowledged_at: Date.now()});
    } else if (result.status === 'conflict') {
      Object.assign(current, {state: 'conflict', server_id: result.id ?? null, reason: result.reason || null, acknowledged_at: Date.now()});
    } else {
      Object.assign(current, {state: 'failed', code: result.code || null, reason: result.reason || result.status, errors: result.errors || null});
    }
    if (Math.abs(result.clock_skew_seconds || 0) > Math.abs(skew)) skew = result.clock_skew_seconds;
    await tx.store.put(current);
  }
  await tx.done;
  if (batchSkew != null) skew = batchSkew; // measured from sent_at: the phone clock itself
  await setMeta('clock_skew_seconds', Math.abs(skew) > SKEW_WARN_SECONDS ? skew : 0);
}

async function pushAll() {
  const user = await getMeta('user');
  const refused = new Set(); // answered other_user: the session is someone else's; not again this round
  for (;;) {
    const mine = (await outboxByState('waiting')).filter((r) => pushableBy(r, user) && !refused.has(r.uuid));
    const waiting = mine.sort(pushOrder).slice(0, BATCH_SIZE);
    if (!waiting.length) return;
    // sent_at lets the server measure this phone's clock offset (docs/sync.md, Clocks).
    const {body} = await api.post('/api/v1/sync/push', {sent_at: localIso(), records: waiting.map(wire)});
    await applyResults(waiting, body.results || [], body.clock_skew_seconds ?? null);
    for (const r of body.results || []) if (r.code === 'other_user') refused.add(r.uuid);
    const answered = new Set((body.results || []).map((r) => r.uuid));
    if (!waiting.some((r) => answered.has(r.uuid))) throw new Error('push: no answers'); // avoid a busy loop
    emit();
  }
}

/** Upload photos by content hash: HEAD, then PUT if the server lacks them. Bytes are kept until confirmed. */
async function uploadPhotos() {
  for (const photo of await pendingPhotos()) {
    if (photo.rejected) continue; // the server refused these bytes; kept on the phone, shown as not uploaded
    const url = `/api/v1/photos/${photo.sha256}`;
    let present = false;
    try { present = (await api.head(url)).status === 200; } catch (e) { if (!(e instanceof ApiError && e.status === 404)) throw e; }
    if (!present) {
      try {
        await api.putBytes(url, photo.bytes, photo.type);
      } catch (e) {
        if (!(e instanceof ApiError && (e.status === 413 || e.status === 422))) throw e;
        await put('photos', {...photo, rejected: e.message});
        continue;
      }
    }
    await put('photos', {...photo, uploaded: true, uploaded_at: Date.now()});
    emit();
  }
}

async function pull() {
  const cursor = await getMeta('cursor');
  const url = '/api/v1/sync/pull' + (cursor ? `?cursor=${encodeURIComponent(cursor)}` : '');
  const {body} = await api.get(url);
  await applyPack(body);
  await loadConstants();
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => sync(), backoff);
  status.retryAt = Date.now() + backoff;
  backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
}

async function runSync({pullPack = true} = {}) {
  status.syncing = true; status.lastError = null; emit();
  try {
    // First what this phone holds unsent (docs/sync.md, Outbox reports): told before any push
    // can fail, so records wiped later are still known to the server.
    // Advice only: a server refusing it never keeps the records from being sent (offline, signed out: stop).
    // (loaded with the first sync, not in the boot graph: offline the service worker serves it)
    const reportOutbox = () => import('./outbox-report.js').then((m) => m.reportOutbox());
    status.neverArrived = await reportOutbox().catch((e) => {
      if (!(e instanceof ApiError) || e.status === 401 || e.codeName === 'password_change_required') throw e;
      return status.neverArrived || 0;
    });
    await pushAll();        // facts first
    await uploadPhotos();   // then the evidence
    if (pullPack) await pull();
    await prune();
    backoff = BACKOFF_MIN_MS;
    status.retryAt = null;
    status.lastSync = new Date().toISOString();
    await setMeta('last_sync', status.lastSync);
  } catch (e) {
    // Signed out, or a new password is owed first: stop, the outbox stays, resume after login.
    if (e instanceof ApiError && (e.status === 401 || e.codeName === 'password_change_required')) {
      status.needLogin = true;
    } else {
      status.lastError = errorKind(e);
      scheduleRetry();
    }
  } finally {
    status.syncing = false;
    emit();
  }
}

/** Why a sync failed, for the sync bar: offline, the server out of reach while online, a 5xx. */
function errorKind(e) {
  if (e instanceof NetworkError) return navigator.onLine ? 'unreachable' : 'offline';
  if (e instanceof ApiError && e.status >= 500) return e.status >= 502 ? 'unreachable' : 'server';
  return e.message || String(e);
}

/** Housekeeping after a good sync (outbox-prune.js); tells the screens when it removed something. */
export async function prune(now = Date.now()) {
  const removed = await (await import('./outbox-prune.js')).pruneStores(now);
  if (removed) emit();
  return removed;
}

/** Run one sync unless one is running (then wait for it). Never throws. */
export function sync(options) {
  if (status.needLogin) return Promise.resolve();
  // Web Locks: two open tabs never push the same batch at once (it would be harmless, just wasteful).
  const locked = () => (navigator.locks ? navigator.locks.request('xj-sync', () => runSync(options)) : runSync(options));
  if (running) { again = true; return running; } // a record saved mid-sync must not wait for the next trigger
  running = locked().finally(() => { running = null; if (again) { again = false; sync({pullPack: false}); } });
  return running;
}

export function loggedIn() { status.needLogin = false; backoff = BACKOFF_MIN_MS; emit(); }
export function needLogin() { status.needLogin = true; emit(); }

/** Engineer edited or wants to resend a failed record: back to waiting (same uuid: still idempotent). */
export async function retryRecord(uuid) {
  const record = await get('outbox', uuid);
  if (record && record.state === 'failed') {
    await put('outbox', {...record, state: 'waiting', code: null, reason: null, errors: null});
    emit();
    sync({pullPack: false});
  }
}

/** The way out of a refusal no edit can fix: the server keeps the whole record with the engineer's
 *  reason for a supervisor (POST /sync/set-aside), and only then does the record leave the unsent
 *  ones (state set_aside, forgotten like a sent one). Online only: never a silent drop. Throws the
 *  ApiError / NetworkError for the screen to show. */
export async function setAside(uuid, reason) {
  const record = await get('outbox', uuid);
  if (!record || record.state !== 'failed') return;
  const kept = {type: record.type, client_time: record.client_time, app_version: record.app_version,
    position: record.position, data: record.data, photos: record.photos || [], made_by: record.made_by || null};
  await api.post('/api/v1/sync/set-aside', {record_uuid: record.uuid, record_type: record.type,
    code: record.code || null, reason, record: kept});
  await put('outbox', {...record, state: 'set_aside', set_aside_reason: reason, acknowledged_at: Date.now()});
  emit();
}

/** Counts per state, photos not yet uploaded, `unsent`: what the signed-in user still has to send
 *  (sign-out is refused while it is not 0), and `others`: unsent records of other users, by maker. */
export async function summary() {
  // one transaction: the outbox, the photos and the user read at once
  const {outbox: records, photos, meta: {user}} = await readMany(['outbox', 'photos'], ['user']);
  const counts = {waiting: 0, sent: 0, failed: 0, conflict: 0, set_aside: 0};
  const others = new Map();
  const othersPhotos = new Set();
  let mine = 0;
  for (const r of records) {
    counts[r.state] = (counts[r.state] || 0) + 1;
    if (r.state !== 'waiting' && r.state !== 'failed') continue;
    if (pushableBy(r, user)) { mine += 1; continue; }
    const entry = others.get(r.made_by.username) || {...r.made_by, n: 0};
    entry.n += 1;
    others.set(r.made_by.username, entry);
    for (const sha of r.photos || []) othersPhotos.add(sha);
  }
  const pending = photos.filter((p) => !p.uploaded);
  counts.photos_pending = pending.length;
  counts.unsent = mine + pending.filter((p) => !othersPhotos.has(p.sha256)).length;
  counts.others = [...others.values()];
  return counts;
}

/** A supervisor receives another user's unsent records: they send them, the maker stays the author. */
export async function receiveFrom(username) {
  const user = await getMeta('user');
  if (!user || !RECEIVER_ROLES.includes(user.role)) return 0;
  const tx = (await db()).transaction('outbox', 'readwrite');
  let n = 0;
  for (const record of await tx.store.getAll()) {
    if (record.made_by?.username === username && (record.state === 'waiting' || record.state === 'failed')) {
      await tx.store.put({...record, state: 'waiting', code: null, reason: null, errors: null, received_by: user.username});
      n += 1;
    }
  }
  await tx.done;
  emit();
  sync({pullPack: false});
  return n;
}

export function startAutoSync() {
  if (!statusLoaded) loadStatus(); // the boot reads it before the first render
  addEventListener('online', () => { backoff = BACKOFF_MIN_MS; sync(); });
  setInterval(() => { if (navigator.onLine) sync(); }, 60000);
  // No background sync on iOS: send whenever the engineer brings the app back.
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible' && navigator.onLine) sync(); });
}

/** What the sync bar shows before this session's first sync: the last one's time, the warning. */
let statusLoaded = false;
export async function loadStatus() {
  statusLoaded = true;
  const [lastSync, neverArrived] = await Promise.all([getMeta('last_sync'), getMeta('never_arrived', 0)]);
  status.lastSync = status.lastSync || lastSync;
  status.neverArrived = neverArrived;
  emit();
}
