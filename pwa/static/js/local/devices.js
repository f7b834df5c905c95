/** A device as the phone knows it: the pack's rows for one tag (device, type, room, site). */
import {get, deviceByTag, retiredAlias} from '../db.js';

/** Everything the device and checklist screens need about one tag, from the pack on the phone. */
export async function loadDevice(tag) {
  const device = await deviceByTag(tag);
  const type = device ? await get('device_types', device.device_type_id ?? device.type_id) : null;
  const room = device?.room_id != null ? await get('rooms', device.room_id) : null;
  const siteId = device?.site_id ?? room?.site_id; // the pack names the room; site_id is filled in on store
  const site = siteId != null ? await get('sites', siteId) : null;
  const replaced = device && device.tag !== tag ? await retiredAlias(tag) : null; // an old label, re-tagged since
  return {device, type, site, room, replaced};
}
