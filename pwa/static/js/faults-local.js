/** Faults as the phone knows them: the pack's `faults` rows merged with unsent fault and step records. */
import {all, outboxRecords} from './db.js';
import {STEPS, OPEN_STATES, withSteps} from './fault-steps.js';

export {STEPS, OPEN_STATES};

function fromRecord(r) {
  const {tag, reported_at, severity, urgent_meeting, description, photos} = r.data;
  return {uuid: r.uuid, id: null, tag, reported_at, severity, urgent_meeting, description, photos,
    state: 'reported', local: true, outbox_state: r.state};
}

/** Every fault known on the phone, keyed by uuid (pack first, then unsent records on top). */
export async function knownFaults() {
  const [faults, records] = await Promise.all([all('faults'), outboxRecords()]);
  return mergeFaults(faults, records);
}

/** The pack's fault rows and the outbox records (oldest first) as knownFaults() returns them. */
export function mergeFaults(faults, records) {
  const byUuid = new Map();
  for (const f of faults) byUuid.set(f.uuid || `id-${f.id}`, {...f, local: false});
  for (const r of records) if (r.type === 'fault' && !byUuid.has(r.uuid)) byUuid.set(r.uuid, fromRecord(r));
  const steps = records.filter((r) => r.type === 'fault_step');
  return [...byUuid.values()].map((f) => withSteps(f, steps.filter((s) => s.data.fault_uuid === f.uuid
    || (f.id != null && s.data.fault_id === f.id))));
}

export async function faultByUuid(uuid) {
  return (await knownFaults()).find((f) => f.uuid === uuid) || null;
}

/** Open faults of one unit, newest first. */
export async function openFaultsOf(tag, deviceId = null) {
  return (await knownFaults()).filter((f) => (f.tag === tag || (deviceId != null && f.device_id === deviceId))
    && OPEN_STATES.includes(f.state)).sort((a, b) => String(b.reported_at).localeCompare(String(a.reported_at)));
}
