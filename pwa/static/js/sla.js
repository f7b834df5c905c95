/** Fault clocks computed on the phone: only the arithmetic of server/services/faults/sla.py. The rules
 *  (limits, bands, warning windows, in seconds) come from the server in the field pack
 *  (`constants.sla`, docs/sync.md), so there is nothing here to keep in step. */
const ms = (iso) => (iso ? new Date(iso).getTime() : null);
const S = 1000;

/** A countdown from start lasting limit, stopped at stop (if any), seen at now (all epoch ms). */
function clock(name, start, limit, stop, now, rules) {
  if (start == null) return {name, state: 'not_started', due_at: null, remaining_seconds: null, breached: false, about_to_breach: false, deduction: 0};
  const due = start + limit;
  const end = stop ?? now;
  const remaining = Math.trunc((due - end) / 1000);
  const breached = end > due;
  const about = stop == null && !breached && remaining <= rules.warning_windows[name];
  const state = stop != null ? (breached ? 'breached' : 'met') : (breached ? 'breached' : (about ? 'about_to_breach' : 'running'));
  return {name, state, due_at: new Date(due).toISOString(), remaining_seconds: remaining, breached, about_to_breach: about,
    elapsed_seconds: Math.max(0, Math.trunc((end - start) / 1000)), deduction: 0};
}

/** The deduction for a response lateMs after the report (the pack's bands; null limit: beyond). */
export function responseDeduction(lateMs, rules) {
  const bands = rules.response_bands;
  for (const [limit, points] of bands) if (limit != null && lateMs != null && lateMs <= limit * S) return points;
  return bands[bands.length - 1][1];
}

/** Every clock of a fault ({reported_at, urgent_meeting, responded_at, ...} ISO strings) at now
 *  (epoch ms) under rules (the pack's constants.sla). */
export function clocks(fault, now, rules) {
  const t = {rep: ms(fault.reported_at), resp: ms(fault.responded_at), diag: ms(fault.diagnosing_at),
    spare: ms(fault.spare_installed_at), res: ms(fault.resolved_at)};
  const response = clock('response', t.rep, rules.response_target * S, t.resp, now, rules);
  if (response.breached) response.deduction = responseDeduction((t.resp ?? now) - t.rep, rules);
  const stops = [t.spare, t.res].filter((x) => x != null);
  const restored = stops.length ? Math.min(...stops) : null;
  const spareLimit = (fault.urgent_meeting ? rules.spare_limit_urgent : rules.spare_limit) * S;
  const spare = clock('spare', t.rep, spareLimit, restored, now, rules);
  if (t.res != null && t.spare == null && !spare.breached) spare.state = 'not_needed';
  return {response, work: clock('work', t.diag, rules.work_limit * S, t.res, now, rules), spare,
    handling: clock('handling', t.rep, rules.handling_limit * S, restored, now, rules)};
}

/** "1 h 05 min" style remaining time (negative: overdue by). */
export function formatDuration(seconds) {
  const s = Math.abs(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}
