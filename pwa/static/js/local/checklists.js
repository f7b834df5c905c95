/** Checklist templates on the phone: the item types the server sends (server/services/field/results.py),
 *  the template for a device, and validation of the answers. */
import {t} from '../i18n.js';
import {all, fieldRules} from '../db.js';

/** The item types the server sends (ITEM_TYPES in server/models/checklists.py); no aliases. */
export const ITEM_TYPES = ['pass_fail', 'number', 'text', 'photo'];

/** A pack item as the checklist screen reads it (the pack omits photo_required / required at their defaults). */
export function normalizeItem(item) {
  return {...item, kind: item.type, photoRequired: Boolean(item.photo_required), required: item.required !== false};
}

/** The newest template for this device type (the server's: same device kind) and inspection kind, else any kind,
 *  else the pack's template for units it does not know (constants.field.unknown_device_kind: a tag not in the
 *  pack is still inspected, and the server links the record once the device is registered). */
export async function templateFor(type, kind = 'quarterly') {
  const templates = await all('templates');
  const unknownKind = fieldRules()?.unknown_device_kind;
  const fits = (tp) => type && (tp.id === type.template_id || tp.device_type_id === type.id
    || (tp.device_type_ids || []).includes(type.id) || (tp.device_kind != null && tp.device_kind === type.kind));
  const generic = (tp) => tp.device_type_id == null && !(tp.device_type_ids || []).length
    && (tp.device_kind == null || (unknownKind != null && tp.device_kind === unknownKind));
  const pick = (list) => list.sort((a, b) => (b.version || 0) - (a.version || 0))[0] || null;
  const sameKind = (tp) => (tp.inspection_kind || kind) === kind;
  return pick(templates.filter((tp) => fits(tp) && sameKind(tp))) || pick(templates.filter(fits))
    || pick(templates.filter((tp) => generic(tp) && sameKind(tp))) || pick(templates.filter(generic));
}

/** Problems per item key (plus '_' for the whole form); empty object means it can be saved. */
export function validate(items, values) {
  const errors = {};
  for (const item of items) {
    const v = values[item.key] || {};
    const hasEvidence = Boolean((v.note || '').trim()) || (v.photos || []).length > 0;
    if (item.kind === 'pass_fail') {
      if (item.required && !v.value) errors[item.key] = t('required');
      else if (v.value === 'fail' && !hasEvidence) errors[item.key] = t('fail_needs_note');
    } else if (item.kind === 'number') {
      if (v.value === undefined || v.value === '') { if (item.required) errors[item.key] = t('required'); }
      else if (!Number.isFinite(Number(v.value))) errors[item.key] = t('number_invalid');
      else if (outOfRange(item, Number(v.value)) && !hasEvidence) errors[item.key] = t('fail_needs_note');
    } else if (item.kind === 'text') {
      if (item.required && !(v.value || '').trim()) errors[item.key] = t('required');
    }
    if (!errors[item.key] && (item.photoRequired || item.kind === 'photo') && !(v.photos || []).length) errors[item.key] = t('photo_required');
  }
  return errors;
}

export function outOfRange(item, n) {
  return (item.min != null && n < item.min) || (item.max != null && n > item.max);
}
