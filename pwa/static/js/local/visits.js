/** The active visit on the phone: start one, and what it has inspected so far. */
import {get, all, setMeta, devicesAtSite, deviceByTag} from '../db.js';
import {newUuid, localIso} from '../outbox.js';

/** A pre-meeting visit started from a meeting names it (meetingId): the server marks the
 *  meeting's checklist done with it. */
export async function startVisit(site, {kind = 'quarterly', planEntryId = null, meetingId = null} = {}) {
  const visit = {uuid: newUuid(), site_id: site.id, site_code: String(site.code), kind, plan_entry_id: planEntryId,
    started_at: localIso(), inspected: {}, ...(meetingId != null ? {meeting_id: meetingId} : {})};
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
