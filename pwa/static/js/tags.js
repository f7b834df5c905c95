/** Asset tags: GZ + 5 payload chars + 1 check char, Crockford base32, Damm-style check over GF(32). Must match the server. */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PREFIX = 'GZ';
export const TAG_LENGTH = 8;
const POLY = 0b100101; // x^5 + x^2 + 1

/** Carry-less multiply of two 5-bit values modulo x^5+x^2+1. */
export function gfMul(a, b) {
  let result = 0;
  while (b) {
    if (b & 1) result ^= a;
    b >>= 1;
    a <<= 1;
    if (a & 0b100000) a ^= POLY;
  }
  return result;
}

/** Uppercase, drop spaces and '-', read I/L as 1 and O as 0 (what people mistype on labels). */
export function normalizeTag(input) {
  return String(input ?? '').toUpperCase().replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1').replace(/O/g, '0');
}

function fold(chars) {
  let interim = 0;
  for (const ch of chars) interim = gfMul(2, interim) ^ ALPHABET.indexOf(ch);
  return interim;
}

/** Check character for the first 7 characters of a tag. */
export function checkChar(first7) {
  return ALPHABET[gfMul(2, fold(first7))];
}

/** True when s (already normalised) is a well-formed tag whose check character agrees. */
export function isValidTag(s) {
  if (s.length !== TAG_LENGTH || !s.startsWith(PREFIX)) return false;
  for (const ch of s) if (!ALPHABET.includes(ch)) return false;
  return fold(s) === 0;
}

/**
 * Read what a scanner or a person gave us: a URL ending in /d/TAG or /D/TAG, or a bare tag.
 * Returns {tag} or {error: 'not_ours' | 'bad_check', text}.
 */
export function parseScan(text) {
  const raw = String(text ?? '').trim();
  let candidate = raw;
  const url = raw.match(/^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/.*)?$/i);
  if (url) {
    const path = (url[1] || '').split(/[?#]/)[0];
    const m = path.match(/\/d\/([^/]+)\/?$/i);
    if (!m) return {error: 'not_ours', text: raw};
    candidate = decodeURIComponent(m[1]);
  }
  const tag = normalizeTag(candidate);
  if (tag.length !== TAG_LENGTH || !tag.startsWith(PREFIX) || [...tag].some((c) => !ALPHABET.includes(c))) {
    return {error: 'not_ours', text: raw};
  }
  return isValidTag(tag) ? {tag} : {error: 'bad_check', text: raw};
}

/** Build a valid tag from a 5-character payload (tests and demo data). */
export function makeTag(payload5) {
  const first7 = PREFIX + normalizeTag(payload5);
  return first7 + checkChar(first7);
}
