/** The active visit on the phone: start one, the kinds a site can have, and what it has inspected so far. */
import {get, all, setMeta, devicesAtSite, deviceByTag, fieldRules} from '../db.js';
import {newUuid, localIso} from '../outbox.js';

export const VISIT_KINDS = ['quarterly', 'daily', 'monthly', 'pre_meeting'];
export const SITE_CHECK_KIND = 'room.daily'; // used until a pack says otherwise (constants.field)

/** The kinds this site can be visited for: the pack's rule per tier (daily and monthly: the province bureau only). */
export function kindsForSite(site) {
  const rule = fieldRules()?.visit_kinds?.[site?.tier];
  if (rule) return rule;
  return site?.tier === 'province' ? VISIT_KINDS : VISIT_KINDS.filter((k) => k !== 'daily' && k !== 'monthly');
}

/** What is due today at the site: a plan entry shown today and not yet visited, else the province bureau's
 *  daily check on a working day (Monday to Friday on the phone: it has no holiday calendar), else quarterly. */
export function defaultKind(site, {plans = [], visited = new Set(), day = new Date()} = {}) {
  const allowed = kindsForSite(site);
  const due = plans.find((p) => (p.site_id === site?.id || String(p.site_code) === String(site?.code)) && !visited.has(p.id));
  const planned = due && (due.kind || due.inspection_kind);
  if (planned && allowed.includes(planned)) return planned;
  const weekday = day.getDay() >= 1 && day.getDay() <= 5;
  if (weekday && allowed.includes('daily')) return 'daily';
  return allowed.includes('quarterly') ? 'quarterly' : allowed[0];
}

/** The room checklist (site-level check) from the pack, or null when the pack has none. */
export async function siteCheckTemplate() {
  const key = fieldRules()?.site_check_kind || SITE_CHECK_KIND;
  const found = (await all('templates')).filter((tp) => tp.key === key);
  return found.sort((a, b) => (b.version || 0) - (a.version || 0))[0] || null;
}

/** A pre-meeting visit started from a meeting names it (meetingId): the server marks the
 *  meeting's checklist done with it. */
export async function startVisit(site, {kind = 'quarterly', planEntryId = null, meetingId = null} = {}) {
  const visit = {uuid: newUuid(), site_id: site.id, site_code: String(site.code), kind, plan_entry_id: planEntryId,
    started_at: localIso(), inspected: {}, room_checks: {}, ...(meetingId != null ? {meeting_id: meetingId} : {})};
  await setMeta('active_visit', visit);
  return visit;
}

/** Split the site's devices by whether this visit inspected them; list inspected tags that do not belong here. */
export async function visitProgress(visit) {
  const expected = await devicesAtSite(visit.site_id);
  const types = new Map((await all('device_types')).map((d) => [d.id, d]));
  const inspectedTags = new Set(Object.keys(visit.inspected || {}));
  const done = expected.filter((d) => inspectedTags.has(d.tag));
  const todo = expected.filter((d) => !inspectedTags.has(d.tag));
  const expectedTags = new Set(expected.map((d) => d.tag));
  const unexpected = [];
  for (const tag of inspectedTags) {
    if (expectedTags.has(tag)) continue;
    const device = await deviceByTag(tag);
    const site = device ? await get('sites', device.site_id) : null;
    unexpected.push({tag, device, site});
  }
  return {expected, done, todo, unexpected, types};
}
