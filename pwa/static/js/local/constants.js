/** The rules the server sends in the field pack (constants.sla ...), kept in meta for offline use. */
import {getMeta} from '../db.js';

let current = null;

/** Read them from the phone (at boot, and after every pull). */
export async function loadConstants() {
  current = (await getMeta('constants')) || null;
  return current;
}

export const slaRules = () => current?.sla || null;
/** constants.field: the site check's template key and the visit kinds per site tier (server/services/field/kinds.py). */
export const fieldRules = () => current?.field || null;
