/** Faults as the phone knows them: the pack's `faults` rows merged with unsent fault and step records. */
import {all, outboxRecords} from './db.js';

export const STEPS = ['reported', 'responded', 'diagnosing', 'spare_installed', 'resolved', 'closed'];
export const OPEN_STATES = ['reported', 'responded', 'diagnosing', 'spare_installed'];

const earliest = (a, b) => (!a ? b : (!b ? a : (new Date(b) < new Date(a) ? b : a)));

/** Apply step records as the server does (server/services/faults.py): earliest time per step wins;
 *  a later step implies responded and diagnosing at its time; the state is the furthest step reached. */
function withSteps(fault, steps) {
  const f = {...fault};
  for (const s of steps) {
    const {step, at} = s.data;
    f[`${step}_at`] = earliest(f[`${step}_at`], at);
    for (const implied of ['responded', 'diagnosing']) {
      if (STEPS.indexOf(implied) < STEPS.indexOf(step) && !f[`${implied}_at`]) f[`${implied}_at`] = at;
    }
    if (s.data.resolution) f.resolution = f.resolution || s.data.resolution;
  }
  let state = f.state || 'reported';
  for (const step of STEPS) if (f[`${step}_at`] && STEPS.indexOf(step) > STEPS.indexOf(state)) state = step;
  f.state = state;
  return f;
}

function fromRecord(r) {
  const {tag, reported_at, severity, urgent_meeting, description, photos} = r.data;
  return {uuid: r.uuid, id: null, tag, reported_at, severity, urgent_meeting, description, photos,
    state: 'reported', local: true, outbox_state: r.state};
}

/** Every fault known on the phone, keyed by uuid (pack first, then unsent records on top). */
export async function knownFaults() {
  const records = await outboxRecords();
  const byUuid = new Map();
  for (const f of await all('faults')) byUuid.set(f.uuid || `id-${f.id}`, {...f, local: false});
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
