/** Meetings on the phone: the pack's `meetings` section, the meeting records this phone made,
 *  and each due check's state with what is recorded here but not yet known to the server. */
import {all, get, getMeta, outboxRecords} from '../db.js';
import {addRecord, sync, localIso} from '../outbox.js';

// The record types of meeting_contract.md, in the order the meeting screen shows them.
export const MEETING_TYPES = ['meeting_arrival', 'meeting_site_confirmation', 'meeting_joint_test',
  'meeting_incident', 'usage_register'];
export const INCIDENT_KINDS = ['lost_sound', 'frozen_picture', 'mosaic', 'dropped_out', 'other'];
export const SHUTDOWN_STEPS = ['audio', 'displays', 'matrix', 'power', 'windows_lights']; // contract order
export const JOINT_PARTS = ['sound', 'picture', 'pc_content'];
const CHECK_RECORD = {arrival: 'meeting_arrival', switch_on: 'meeting_site_confirmation', joint_test: 'meeting_joint_test'};

const pad = (n) => String(n).padStart(2, '0');
export const localDate = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
export const hhmm = (iso) => { const d = new Date(iso); return isNaN(d) ? '' : `${pad(d.getHours())}:${pad(d.getMinutes())}`; };
/** An instant as a datetime-local input's value (the phone's clock), and back. */
export const inputTime = (iso) => { const d = new Date(iso); return isNaN(d) ? '' : `${localDate(d)}T${hhmm(iso)}`; };
export const fromInput = (value) => (value ? localIso(new Date(value)) : null);

/** 'today', 'tomorrow' or the date a meeting starts on, by the phone's calendar. */
export function dayOf(iso, now = new Date()) {
  const day = localDate(new Date(iso));
  const tomorrow = new Date(now); tomorrow.setDate(now.getDate() + 1);
  return day === localDate(now) ? 'today' : day === localDate(tomorrow) ? 'tomorrow' : day;
}

/** Meetings to show on Today: starting today or tomorrow, or still running; by start. */
export async function meetingsSoon(now = new Date()) { return soonOf(await all('meetings'), now); }

/** meetingsSoon() of rows already read. */
export function soonOf(meetings, now = new Date()) {
  const shown = meetings.filter((m) => m.state !== 'cancelled'
    && (['today', 'tomorrow'].includes(dayOf(m.starts_at, now)) || (new Date(m.starts_at) <= now && now < new Date(m.ends_at))));
  return shown.sort((a, b) => String(a.starts_at).localeCompare(String(b.starts_at)) || a.id - b.id);
}

export const loadMeeting = (id) => get('meetings', Number(id));

/** This phone's records about a meeting (its meeting types and its pre-meeting visits), oldest first. */
export async function meetingRecords(meetingId) { return recordsAbout(await outboxRecords(), meetingId); }

/** meetingRecords() of outbox records already read (oldest first). */
export function recordsAbout(records, meetingId) {
  return records.filter((r) => (MEETING_TYPES.includes(r.type) || r.type === 'visit')
    && Number(r.data?.meeting_id) === Number(meetingId));
}

/** The meeting's sites with the host first (incidents happen there too), each once. */
export function meetingSites(meeting) {
  const sites = [...(meeting.sites || [])];
  if (meeting.host_site_id != null && !sites.some((s) => s.id === meeting.host_site_id)) {
    sites.unshift({id: meeting.host_site_id, code: meeting.host_site_code, name: meeting.host_site_name, speaking: false});
  }
  return sites;
}

/** The local record answering a check (the newest one the server did not refuse, else a refused one). */
export function recordFor(check, records, userId) {
  let found = [];
  if (check.kind === 'checklist') found = records.filter((r) => r.type === 'visit');
  else if (check.kind === 'arrival') found = records.filter((r) => r.type === 'meeting_arrival' && (r.made_by?.id ?? userId) === check.subject_id);
  else found = records.filter((r) => r.type === CHECK_RECORD[check.kind] && r.data.site_id === check.subject_id);
  return [...found].reverse().find((r) => r.state !== 'failed') || found[found.length - 1] || null;
}

/** A check's state on this phone: the server's `done`, else what is recorded here (recorded /
 *  sent / refused), a pre-meeting visit under way, else due or late by the phone's clock now. */
export function checkState(check, records, {userId = null, activeVisit = null, now = new Date()} = {}) {
  if (check.state === 'done') return 'done';
  const record = recordFor(check, records, userId);
  if (record && record.state !== 'failed') return record.state === 'waiting' ? 'recorded' : 'sent';
  if (check.kind === 'checklist' && activeVisit?.meeting_id != null && activeVisit.meeting_id === check.meeting_id) return 'in_progress';
  if (record) return 'refused';
  return now >= new Date(check.due_at) ? 'late' : 'due';
}

/** The meeting's checks with their phone state, and per kind {done, all, late}. */
export async function meetingChecks(meeting, records) {
  return checksOf(meeting, records, {user: await getMeta('user'), activeVisit: await getMeta('active_visit')});
}

/** meetingChecks() with the signed-in user and the active visit already read. */
export function checksOf(meeting, records, {user, activeVisit}) {
  const checks = (meeting.due_checks || []).map((c) => {
    const state = checkState({...c, meeting_id: meeting.id}, records, {userId: user?.id ?? null, activeVisit});
    return {...c, state, record: recordFor(c, records, user?.id ?? null)};
  });
  const byKind = {};
  for (const c of checks) {
    const k = byKind[c.kind] ||= {done: 0, all: 0, late: 0};
    k.all += 1;
    if (['done', 'recorded', 'sent'].includes(c.state)) k.done += 1; else if (c.state === 'late') k.late += 1;
  }
  return {checks, byKind};
}

/** Queue one meeting record like every field record (device clock, position when allowed). */
export async function saveMeetingRecord(type, data, {uuid = null, photos = []} = {}) {
  // geo.js by import(): not in the boot graph (main.js starts the watch after the first render)
  const {currentPosition} = await import('../geo.js');
  const record = await addRecord(type, data, {position: currentPosition(), photos, uuid});
  if (navigator.onLine) sync({pullPack: false});
  return record;
}
