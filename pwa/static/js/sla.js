/** Fault clocks computed on the phone: the same rules and constants as server/services/sla.py (keep in step). */
const MIN = 60 * 1000;
const HOUR = 60 * MIN;

export const RESPONSE_BANDS = [[10 * MIN, 0], [30 * MIN, -1], [60 * MIN, -5], [120 * MIN, -10], [null, -20]];
export const RESPONSE_TARGET = 10 * MIN;
export const WORK_LIMIT = 3 * HOUR;
export const SPARE_LIMIT = 24 * HOUR;
export const SPARE_LIMIT_URGENT = 2 * HOUR;
export const HANDLING_LIMIT = 4 * HOUR;
export const WARNING_WINDOWS = {response: 5 * MIN, work: 30 * MIN, spare: 30 * MIN, handling: 30 * MIN};

const ms = (iso) => (iso ? new Date(iso).getTime() : null);

/** A countdown from start lasting limit, stopped at stop (if any), seen at now (all epoch ms). */
function clock(name, start, limit, stop, now) {
  if (start == null) return {name, state: 'not_started', due_at: null, remaining_seconds: null, breached: false, about_to_breach: false, deduction: 0};
  const due = start + limit;
  const end = stop ?? now;
  const remaining = Math.trunc((due - end) / 1000);
  const breached = end > due;
  const about = stop == null && !breached && remaining * 1000 <= WARNING_WINDOWS[name];
  const state = stop != null ? (breached ? 'breached' : 'met') : (breached ? 'breached' : (about ? 'about_to_breach' : 'running'));
  return {name, state, due_at: new Date(due).toISOString(), remaining_seconds: remaining, breached, about_to_breach: about,
    elapsed_seconds: Math.max(0, Math.trunc((end - start) / 1000)), deduction: 0};
}

export function responseDeduction(lateMs) {
  for (const [limit, points] of RESPONSE_BANDS) if (limit != null && lateMs != null && lateMs <= limit) return points;
  return RESPONSE_BANDS[RESPONSE_BANDS.length - 1][1];
}

/** Every clock of a fault ({reported_at, urgent_meeting, responded_at, ...} ISO strings) at now (epoch ms). */
export function clocks(fault, now = Date.now()) {
  const t = {rep: ms(fault.reported_at), resp: ms(fault.responded_at), diag: ms(fault.diagnosing_at),
    spare: ms(fault.spare_installed_at), res: ms(fault.resolved_at)};
  const response = clock('response', t.rep, RESPONSE_TARGET, t.resp, now);
  if (response.breached) response.deduction = responseDeduction((t.resp ?? now) - t.rep);
  const stops = [t.spare, t.res].filter((x) => x != null);
  const restored = stops.length ? Math.min(...stops) : null;
  const spare = clock('spare', t.rep, fault.urgent_meeting ? SPARE_LIMIT_URGENT : SPARE_LIMIT, restored, now);
  if (t.res != null && t.spare == null && !spare.breached) spare.state = 'not_needed';
  return {response, work: clock('work', t.diag, WORK_LIMIT, t.res, now), spare,
    handling: clock('handling', t.rep, HANDLING_LIMIT, restored, now)};
}

/** "1 h 05 min" style remaining time (negative: overdue by). */
export function formatDuration(seconds) {
  const s = Math.abs(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}
