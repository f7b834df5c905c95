/** One text lookup for the phone and the office pages: one language key, one t(), enum labels.
 *  Dictionaries are registered per domain (core/dict/*.js, a page's own); a later one wins a key. */
export const LANGS = [['zh-CN', '简体中文'], ['en', 'English']];
export const LANG_KEY = 'xj.lang';
const OLD_KEYS = ['xj-lang'];  // the office pages' key before there was one ('zh' / 'en')
const DICTS = {'zh-CN': {}, en: {}};
const ENUMS = {'zh-CN': {}, en: {}};

const storage = () => (typeof localStorage === 'undefined' ? null : localStorage);

/** 'zh', 'zh-CN', 'en', 'en-GB' ... to one of LANGS (null for anything else). */
function normalise(code) {
  if (!code) return null;
  if (/^zh/i.test(code)) return 'zh-CN';
  if (/^en/i.test(code)) return 'en';
  return null;
}

/** The stored language; on first read, an old key's value moves to the one key. */
function readLang() {
  const s = storage();
  if (!s) return 'zh-CN';
  let value = normalise(s.getItem(LANG_KEY));
  for (const key of OLD_KEYS) {
    const old = normalise(s.getItem(key));
    if (!value && old) value = old;
    s.removeItem(key);
  }
  if (value && s.getItem(LANG_KEY) !== value) s.setItem(LANG_KEY, value);
  return value || 'zh-CN';
}

let lang = readLang();

export function getLang() { return lang; }

export function setLang(next) {
  const code = normalise(next);
  if (!code) return;
  lang = code;
  storage()?.setItem(LANG_KEY, code);
  if (typeof document !== 'undefined') document.documentElement.lang = code;
}

/** Add one domain's strings ({'zh-CN': {...}, en: {...}}); enums as {'zh-CN': {domain: {value: text}}}. */
export function register(dicts, enums = null) {
  for (const code of Object.keys(DICTS)) {
    Object.assign(DICTS[code], dicts?.[code] || {});
    for (const [domain, labels] of Object.entries(enums?.[code] || {})) {
      ENUMS[code][domain] = {...(ENUMS[code][domain] || {}), ...labels};
    }
  }
}

/** Translate key, filling {placeholders}; an unknown key shows itself so gaps are visible. */
export function t(key, params = {}) {
  const text = DICTS[lang][key] ?? DICTS['zh-CN'][key] ?? key;
  return String(text).replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name] ?? '') : ''));
}

export const hasText = (key) => key in DICTS[lang] || key in DICTS['zh-CN'];

/** The label of an enum value the server sends (device_status, fault_state, severity ...); a value
 *  with no label shows as itself, so a gap is visible (and the Chinese walk test catches it). */
export function label(domain, value) {
  if (value == null || value === '') return '';
  return ENUMS[lang][domain]?.[value] ?? ENUMS['zh-CN'][domain]?.[value] ?? String(value);
}

/** A record's presence flags in words (server/services/presence/flags.py), the distance of `far`
 *  in km; '—' when none. Flags are hints for a person, never refusals. */
export function presenceText(presence) {
  const words = (presence?.flags || []).map((flag) => (flag === 'far' && presence.distance_m != null
    ? t('presence_far', {km: (presence.distance_m / 1000).toFixed(1)}) : label('presence_flag', flag)));
  return words.join('；') || '—';
}

export const hasLabel = (domain, value) => value in (ENUMS['zh-CN'][domain] || {});

/** The name in the current language from a record carrying name_zh/name_en (or label_zh/label_en). */
export function pickName(obj, base = 'name') {
  if (!obj) return '';
  const zh = obj[`${base}_zh`] ?? obj[base];
  const en = obj[`${base}_en`];
  return (lang === 'en' && en) ? en : (zh ?? en ?? '');
}

export const DICTIONARIES = DICTS;
export const ENUM_LABELS = ENUMS;

/** Parameters reasonText() shows as references after the sentence when the sentence has no slot. */
const REFS = [['place', ['site', 'room']], ['swap', ['swap']], ['fault', ['fault']], ['rma', ['rma']]];

/** A stored code and its parameters in words (custody reasons, swap flags: core/dict/reasons.js):
 *  a `status` parameter as its label; swap / fault / RMA / place not in the sentence after it. */
export function reasonText(prefix, code, params = {}) {
  if (!code) return '';
  const values = {...(params || {})};
  if (values.status) values.status = label('device_status', values.status);
  const key = `${prefix}_${code}`;
  const sentence = DICTS[lang][key] ?? DICTS['zh-CN'][key] ?? '';
  const refs = REFS.filter(([, names]) => names.some((n) => values[n] != null && values[n] !== '')
    && !names.some((n) => sentence.includes(`{${n}}`))).map(([ref]) => t(`ref_${ref}`, values).trim());
  const text = t(key, values);
  return refs.length ? `${text}${t('ref_open')}${refs.join(t('ref_sep'))}${t('ref_close')}` : text;
}
