/** Quicker hands on the checklist: "all OK" for the pass/fail items, numbers remembered per device and
 *  item from this phone's last check, and which other devices a photo is already evidence for. */
import {getMeta, setMeta, outboxRecords} from '../db.js';
import {outOfRange} from './checklists.js';

const rememberKey = (tag) => `numbers:${tag}`;

/** Every pass/fail item not yet answered set to pass (an answer the engineer gave is kept). */
export function allPass(items, values) {
  const next = {...values};
  for (const item of items) {
    if (item.kind !== 'pass_fail' || next[item.key]?.value) continue;
    next[item.key] = {...(next[item.key] || {}), value: 'pass'};
  }
  return next;
}

/** The number answers of the last check of this device saved on this phone, as {key: text}, kept only
 *  where the template allows: a number item still in the template and the value within its range. */
export async function rememberedNumbers(tag, items) {
  const saved = (await getMeta(rememberKey(tag))) || {};
  const out = {};
  for (const item of items) {
    const text = saved[item.key];
    if (item.kind !== 'number' || text == null || text === '') continue;
    const n = Number(text);
    if (Number.isFinite(n) && !outOfRange(item, n)) out[item.key] = String(text);
  }
  return out;
}

/** Remember the number answers of a saved check for the next visit to this device. */
export async function rememberNumbers(tag, results) {
  const numbers = {};
  for (const r of results) if (typeof r.value === 'number') numbers[r.key] = r.value;
  if (Object.keys(numbers).length) await setMeta(rememberKey(tag), numbers);
}

/** Tags of other devices whose inspections on this phone already carry the photo `sha`. */
export async function photoUsedBy(sha, tag) {
  const tags = new Set();
  for (const r of await outboxRecords()) {
    if (r.type !== 'inspection' || r.data.tag === tag) continue;
    const named = [...(r.data.photos || []), ...(r.data.results || []).flatMap((x) => x.photos || [])];
    if (named.includes(sha)) tags.add(r.data.tag);
  }
  return [...tags];
}
