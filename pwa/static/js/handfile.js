/** Hand-over by file (docs/handover-file.md): the unsent records and photos exported as one
 *  signed file for the office to import, and the office's signed receipt imported to mark them
 *  sent through the push's own ack path (outbox.applyResults). */
import {db, getMeta, phoneId, put, readMany} from './db.js';
import {APP_VERSION, applyResults, emit, localIso, pushOrder, pushableBy, wire} from './outbox.js';

const FILE_DOMAIN = 'xunjian-handfile-v1\n';
const RECEIPT_DOMAIN = 'xunjian-handfile-receipt-v1\n';

/** A refusal with the words to show: t(key). */
export class HandFileError extends Error {
  constructor(key) { super(key); this.key = key; }
}

function b64urlBytes(text) {
  const raw = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i += 30000) out += btoa(String.fromCharCode(...bytes.subarray(i, i + 30000)));
  return out;
}

async function hmacHex(secret, text) {
  const key = await crypto.subtle.importKey('raw', b64urlBytes(secret), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The signed-in user's newest key issued to this phone, or null (signed in before keys). */
async function keyFor(user, phone) {
  const keys = Object.values(await getMeta('phone_keys', {}));
  const mine = keys.filter((k) => k.username === user?.username && k.phone_id === phone);
  return mine.sort((a, b) => b.issued_at - a.issued_at)[0] || null;
}

const stamp = (d = new Date()) => localIso(d).slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

/** {blob, name, records, photos}: every waiting record of the signed-in user and the photos they
 *  name that were not uploaded, signed. Marks nothing sent: only a receipt does. */
export async function exportFile() {
  if (!globalThis.crypto?.subtle) throw new HandFileError('hf_no_crypto');
  const {outbox, photos, meta: {user}} = await readMany(['outbox', 'photos'], ['user']);
  const phone = await phoneId();
  const key = await keyFor(user, phone);
  if (!key) throw new HandFileError('hf_no_key');
  const records = outbox.filter((r) => r.state === 'waiting' && pushableBy(r, user)).sort(pushOrder);
  if (!records.length) throw new HandFileError('hf_nothing');
  const named = new Set(records.flatMap((r) => r.photos || []));
  const files = photos.filter((p) => named.has(p.sha256) && !p.uploaded && !p.rejected);
  const manifest = JSON.stringify({
    format: 'xunjian-handfile', version: 1, key_id: key.key_id, phone_id: phone,
    user: {id: user.id, username: user.username}, created_at: localIso(), app_version: APP_VERSION,
    records: records.map(wire),
    photos: files.map((p) => ({sha256: p.sha256, size: p.bytes.byteLength, content_type: p.type || 'image/jpeg'})),
  });
  const mac = await hmacHex(key.secret, FILE_DOMAIN + manifest);
  const parts = [manifest, '\n'];
  for (const p of files) parts.push(JSON.stringify({photo: p.sha256, data: base64(p.bytes)}), '\n');
  parts.push(JSON.stringify({signature: {alg: 'HMAC-SHA256', key_id: key.key_id, mac}}), '\n');
  const blob = new Blob(parts, {type: 'application/x-ndjson'});
  return {blob, name: `xunjian-${user.username}-${stamp()}.xjsync`, records: records.length, photos: files.length};
}

/** Read and verify a receipt (this phone's, signed with one of its keys); null parts refused. */
async function readReceipt(text) {
  const [line, signLine] = text.split('\n');
  let receipt, signature;
  try {
    receipt = JSON.parse(line);
    signature = JSON.parse(signLine).signature;
  } catch { throw new HandFileError('hf_receipt_bad'); }
  if (receipt?.format !== 'xunjian-handfile-receipt' || !signature || !Array.isArray(receipt.results)) {
    throw new HandFileError('hf_receipt_bad');
  }
  if (receipt.phone_id !== await phoneId()) throw new HandFileError('hf_receipt_other_phone');
  const key = (await getMeta('phone_keys', {}))[signature.key_id];
  if (!key || key.key_id !== receipt.key_id) throw new HandFileError('hf_receipt_other_key');
  if (!globalThis.crypto?.subtle) throw new HandFileError('hf_no_crypto');
  if (await hmacHex(key.secret, RECEIPT_DOMAIN + line) !== signature.mac) throw new HandFileError('hf_receipt_bad_signature');
  return receipt;
}

/** Apply a receipt file: verified, then its answers applied to the unsent records it names
 *  exactly as a push's answers are, and its photos marked uploaded. Returns the counts. */
export async function importReceipt(file) {
  const receipt = await readReceipt(await file.text());
  const byUuid = new Set(receipt.results.map((r) => r.uuid));
  const {outbox} = await readMany(['outbox']);
  const batch = outbox.filter((r) => byUuid.has(r.uuid) && (r.state === 'waiting' || r.state === 'failed'));
  const mine = new Set(batch.map((r) => r.uuid));
  await applyResults(batch, receipt.results);
  const d = await db();
  for (const sha of receipt.photos || []) {
    const photo = await d.get('photos', sha);
    if (photo && !photo.uploaded) await put('photos', {...photo, uploaded: true, uploaded_at: Date.now()});
  }
  emit();
  const counts = {sent: 0, conflict: 0, refused: 0};
  for (const r of receipt.results) {
    if (!mine.has(r.uuid)) continue;
    if (r.status === 'created' || r.status === 'duplicate') counts.sent += 1;
    else if (r.status === 'conflict') counts.conflict += 1;
    else counts.refused += 1;
  }
  return counts;
}
