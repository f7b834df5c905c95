/** Pruning the outbox after a good sync: what the server has had for a while leaves the phone. */
import {db} from './db.js';

const DAY_MS = 24 * 3600 * 1000;
export const KEEP_SENT_DAYS = 30;  // acknowledged records stay listed (and usable on screens) this long
export const KEEP_PHOTO_DAYS = 7;  // uploaded photo bytes stay on the phone this long
const SHA256 = /[0-9a-f]{64}/g;

/** Housekeeping after a good sync, so a year of work does not fill the phone: forget records the
 *  server acknowledged more than KEEP_SENT_DAYS ago, and photo bytes uploaded more than
 *  KEEP_PHOTO_DAYS ago. Never a record not acknowledged (waiting, failed, conflict), nor a photo
 *  such a record, a kept record or a draft still names. One transaction: all or nothing. */
export async function pruneStores(now = Date.now()) {
  const tx = (await db()).transaction(['outbox', 'photos', 'meta'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const named = new Set();
  for (const draft of await tx.objectStore('meta').getAll()) {
    for (const sha of JSON.stringify(draft ?? null).match(SHA256) || []) named.add(sha);
  }
  let removed = 0;
  for (const record of await outbox.getAll()) {
    if (['sent', 'set_aside'].includes(record.state) && record.acknowledged_at && now - record.acknowledged_at > KEEP_SENT_DAYS * DAY_MS) {
      await outbox.delete(record.uuid);
      removed += 1;
    } else {
      for (const sha of record.photos || []) named.add(sha);
    }
  }
  const photos = tx.objectStore('photos');
  for (const photo of await photos.getAll()) {
    if (photo.uploaded && !named.has(photo.sha256) && now - (photo.uploaded_at || 0) > KEEP_PHOTO_DAYS * DAY_MS) {
      await photos.delete(photo.sha256);
      removed += 1;
    }
  }
  await tx.done;
  return removed;
}
