/** The phone's evidence chain (docs/evidence.md): every record names the content hash of the
 *  record this phone made before it for the same user (`prev_hash`), with this phone's id. The
 *  hash is the server's content hash, computed here the same way (canonical JSON, SHA-256). */
import {db, phoneId} from './db.js';

let queue = Promise.resolve(); // one record at a time: two at once must not name the same head

/** A number as Python's json writes it (the server's canonical JSON): 1e-7 -> 1e-07. */
function number(n) {
  if (!Number.isFinite(n)) return 'null';
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** JSON with sorted keys and no spaces, non-ASCII kept: json.dumps(sort_keys, separators, ensure_ascii=False). */
export function canonicalJson(value) {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return number(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

/** The instant as the server writes it: UTC, Z, microseconds only when not whole seconds. */
export function utcIso(text) {
  const date = new Date(text);
  const base = date.toISOString().slice(0, 19);
  const ms = date.getUTCMilliseconds();
  return ms ? `${base}.${String(ms * 1000).padStart(6, '0')}Z` : `${base}Z`;
}

/** What the server's content hash covers (services/sync/envelope.py canonical()). */
export function canonical(record) {
  const found = {type: record.type, client_time: utcIso(record.client_time), position: record.position ?? null, data: record.data};
  if (record.phone_id != null) found.phone_id = record.phone_id;
  if (record.prev_hash != null) found.prev_hash = record.prev_hash;
  return found;
}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function contentHash(record) { return sha256Hex(canonicalJson(canonical(record))); }

const headKey = (phone, user) => `chain_head:${phone}:${user || ''}`;

/** Link a new record into this phone's chain for its maker and store it in the outbox with the
 *  new head, in one IndexedDB transaction (a record never stored never becomes the head). Without
 *  WebCrypto (an insecure context) the record goes unchained: the server accepts it as before. */
export function addChained(record, username) {
  const step = queue.then(async () => {
    if (!globalThis.crypto?.subtle) return (await db()).put('outbox', record);
    const phone = await phoneId();
    const key = headKey(phone, username);
    const prev = await (await db()).get('meta', key);
    const linked = {...record, phone_id: phone, prev_hash: prev || null};
    const hash = await contentHash(linked);
    const tx = (await db()).transaction(['outbox', 'meta'], 'readwrite');
    tx.objectStore('outbox').put(linked);
    tx.objectStore('meta').put(hash, key);
    await tx.done;
    Object.assign(record, linked);
  });
  queue = step.catch(() => {});
  return step;
}
