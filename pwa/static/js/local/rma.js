/** Open repairs on the phone: the pack's rma rows not yet returned (nor queued to be). */
import {all, outboxRecords} from '../db.js';

/** The open repair of a device on this phone (pack section rma), unless a return is already queued. */
export async function openRmaOf(deviceId) {
  if (deviceId == null) return null;
  const rma = (await all('rma')).find((r) => r.device_id === deviceId && !r.returned_at);
  if (!rma) return null;
  const queued = (await outboxRecords()).some((r) => r.type === 'rma_return' && r.data.rma_id === rma.id);
  return queued ? null : rma;
}
