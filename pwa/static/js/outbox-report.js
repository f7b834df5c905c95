/** The outbox report sent at every sync: this phone's id, what the signed-in user has unsent. The
 *  server compares it with the last one, so records wiped with the site data are not lost unseen. */
import {getMeta, setMeta, outboxRecords} from './db.js';
import {api} from './api.js';
import {phoneId} from './db.js';

export const MAX_REPORT_UUIDS = 500; // the server's bound; the count covers the rest

/** The signed-in user's records not yet held by the server (waiting or failed), oldest first. */
async function unsentOf(user) {
  const mine = (r) => !r.made_by || r.made_by.username === user?.username;
  return (await outboxRecords()).filter((r) => (r.state === 'waiting' || r.state === 'failed') && mine(r));
}

/** Report; returns how many of this user's records never arrived (kept in meta for Today). */
export async function reportOutbox() {
  const user = await getMeta('user');
  const unsent = await unsentOf(user);
  const body = {
    phone_id: await phoneId(),
    waiting: unsent.length,
    oldest_at: unsent.length ? new Date(unsent[0].created_at).toISOString() : null,
    uuids: unsent.slice(0, MAX_REPORT_UUIDS).map((r) => r.uuid.toLowerCase()),
  };
  const answer = (await api.post('/api/v1/sync/report', body)).body;
  await setMeta('never_arrived', answer.never_arrived || 0);
  return answer.never_arrived || 0;
}
