/** IndexedDB behind a tiny wrapper: field pack stores, outbox, photos (ArrayBuffer, not Blob: Safari), meta. */
import {openDB} from 'idb';

export const PACK_STORES = ['sites', 'rooms', 'devices', 'device_types', 'templates', 'plans',
  'tag_aliases', 'inspections', 'faults', 'spares', 'rma', 'meetings'];
// Sections the server sends whole in every pack, full or not (docs/meetings.md, Field pack): the
// phone replaces them, so a meeting that left the window or was cancelled leaves the phone too.
const WHOLE_SECTIONS = new Set(['meetings']);
const DB_NAME = 'xunjian';
const DB_VERSION = 4; // 2: spares (the pool, for swap checks); 3: rma (units out for repair); 4: meetings

let dbPromise = null;

function upgrade(db, oldVersion, newVersion, tx) {
  let added = false;
  for (const name of PACK_STORES) {
    if (db.objectStoreNames.contains(name)) continue;
    const store = db.createObjectStore(name, {keyPath: 'id'});
    if (name === 'devices') { store.createIndex('tag', 'tag'); store.createIndex('site_id', 'site_id'); }
    if (name === 'rooms') store.createIndex('site_id', 'site_id');
    added = true;
  }
  // A new pack section on a phone that already had a pack: a delta would never send its older
  // rows, so forget the cursor and the next pull is a full one.
  if (oldVersion >= 1 && added) tx.objectStore('meta').delete('cursor');
  if (oldVersion >= 1) return; // the rest exists since version 1
  const outbox = db.createObjectStore('outbox', {keyPath: 'uuid'});
  outbox.createIndex('state', 'state');
  outbox.createIndex('created_at', 'created_at');
  const photos = db.createObjectStore('photos', {keyPath: 'sha256'});
  photos.createIndex('uploaded', 'uploaded');
  db.createObjectStore('meta');
}

export function db() {
  if (!dbPromise) dbPromise = openDB(DB_NAME, DB_VERSION, {upgrade});
  return dbPromise;
}

// Opened as soon as this module is evaluated, first in the boot graph: the open runs on the
// browser's IndexedDB thread while the main thread evaluates the other modules, instead of after.
if (typeof indexedDB !== 'undefined') db().catch(() => { dbPromise = null; });

export async function getMeta(key, fallback = null) {
  const value = await (await db()).get('meta', key);
  return value === undefined ? fallback : value;
}

export async function setMeta(key, value) { return (await db()).put('meta', value, key); }

/** A stable id for this phone (this browser's storage): made once, kept in IndexedDB meta. A
 *  wiped storage makes a new one, which is how the server tells a phone that came back empty. */
export async function phoneId() {
  let id = await getMeta('phone_id');
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    id = 'p-' + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    await setMeta('phone_id', id);
  }
  return id;
}
export async function delMeta(key) { return (await db()).delete('meta', key); }

export async function all(store) { return (await db()).getAll(store); }
export async function get(store, key) { return (await db()).get(store, key); }
export async function put(store, value) { return (await db()).put(store, value); }

/** Apply a pull: replace everything on a full pack, else upsert rows and drop deleted ids; one transaction. */
export async function applyPack(pack) {
  const d = await db();
  const names = PACK_STORES;
  const tx = d.transaction([...names, 'meta'], 'readwrite');
  for (const name of names) {
    const store = tx.objectStore(name);
    if (pack.full || (WHOLE_SECTIONS.has(name) && Array.isArray(pack[name]))) await store.clear();
    for (const row of pack[name] || []) {
      // The server's devices name their room only; the app looks them up by site (visits, warnings).
      if (name === 'devices' && row.site_id == null && row.room_id != null) {
        row.site_id = (await tx.objectStore('rooms').get(row.room_id))?.site_id ?? null;
      }
      await store.put(row);
    }
    for (const id of (pack.deleted || {})[name] || []) await store.delete(id);
  }
  const meta = tx.objectStore('meta');
  await meta.put(pack.cursor, 'cursor');
  await meta.put(pack.server_time, 'pack_server_time');
  if (pack.constants) await meta.put(pack.constants, 'constants');
  await meta.put(new Date().toISOString(), 'last_pull');
  await tx.done;
}

export async function deviceByTag(tag) {
  const d = await db();
  const device = await d.getFromIndex('devices', 'tag', tag);
  if (device) return device;
  const alias = await retiredAlias(tag);
  return alias ? d.get('devices', alias.device_id) : undefined;
}

/** The retired label this tag was (tag_aliases section), or undefined for a current tag. */
export async function retiredAlias(tag) {
  return (await all('tag_aliases')).find((a) => a.tag === tag || a.alias === tag);
}

export async function devicesAtSite(siteId) {
  return (await db()).getAllFromIndex('devices', 'site_id', siteId);
}

export async function siteByCode(code) {
  return (await all('sites')).find((s) => String(s.code) === String(code));
}

/** Several stores read in one transaction with every request in flight at once (boot: one round
 *  trip to IndexedDB, not one per store): {store: rows} for `stores` ('outbox' oldest first),
 *  {key: value} under `meta` for `metaKeys`. */
export async function readMany(stores, metaKeys = []) {
  const tx = (await db()).transaction(metaKeys.length ? [...stores, 'meta'] : stores, 'readonly');
  const rows = (name) => (name === 'outbox' ? tx.objectStore(name).index('created_at') : tx.objectStore(name)).getAll();
  const [lists, values] = await Promise.all([
    Promise.all(stores.map(rows)),
    Promise.all(metaKeys.map((key) => tx.objectStore('meta').get(key))),
  ]);
  const out = Object.fromEntries(stores.map((name, i) => [name, lists[i]]));
  out.meta = Object.fromEntries(metaKeys.map((key, i) => [key, values[i] ?? null]));
  return out;
}

/** Outbox records, oldest first. */
export async function outboxRecords() {
  return (await db()).getAllFromIndex('outbox', 'created_at');
}

export async function outboxByState(state) {
  return (await db()).getAllFromIndex('outbox', 'state', state);
}

export async function savePhoto(photo) { return put('photos', photo); }

export async function pendingPhotos() {
  return (await all('photos')).filter((p) => !p.uploaded);
}

// The rules the server sends in the field pack (constants.sla ...), kept in meta for offline use.
// Here, not a module of their own: one response fewer at boot.
let current = null;

/** Read them from the phone (at boot, and after every pull). */
export async function loadConstants() {
  current = (await getMeta('constants')) || null;
  return current;
}

export const slaRules = () => current?.sla || null;
/** constants.field: the site check's template key and the visit kinds per site tier (server/services/field/kinds.py). */
export const fieldRules = () => current?.field || null;
