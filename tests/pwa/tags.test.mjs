// Run: node --test tests/pwa/tags.test.mjs — exhaustive checks of the asset-tag check character.
import test from 'node:test';
import assert from 'node:assert/strict';
import {ALPHABET, gfMul, checkChar, isValidTag, normalizeTag, parseScan, makeTag} from '../../pwa/static/js/tags.js';

function randomPayload(rand) {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHABET[Math.floor(rand() * 32)];
  return s;
}

function seeded(seed) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const rand = seeded(7);
const TAGS = ['00000', 'ZZZZZ', '3K7M2', ...Array.from({length: 200}, () => randomPayload(rand))].map(makeTag);

test('gf multiplication is a field: every non-zero element has an inverse', () => {
  for (let a = 1; a < 32; a++) {
    assert.equal([...Array(32).keys()].filter((b) => gfMul(a, b) === 1).length, 1);
  }
  assert.equal(gfMul(2, 16), 0b00101); // x * x^4 = x^5 = x^2 + 1
});

test('generated tags validate', () => {
  for (const tag of TAGS) {
    assert.equal(tag.length, 8);
    assert.ok(isValidTag(tag), tag);
  }
});

test('every single wrong character is detected', () => {
  for (const tag of TAGS) {
    for (let i = 0; i < 8; i++) {
      for (const ch of ALPHABET) {
        if (ch === tag[i]) continue;
        const bad = tag.slice(0, i) + ch + tag.slice(i + 1);
        assert.equal(isValidTag(bad), false, `${tag} -> ${bad}`);
      }
    }
  }
});

test('every swap of two different neighbouring characters is detected', () => {
  for (const tag of TAGS) {
    for (let i = 0; i < 7; i++) {
      if (tag[i] === tag[i + 1]) continue;
      const bad = tag.slice(0, i) + tag[i + 1] + tag[i] + tag.slice(i + 2);
      assert.equal(isValidTag(bad), false, `${tag} -> ${bad}`);
    }
  }
});

test('check char follows the documented fold', () => {
  const first7 = 'GZ3K7M2';
  let interim = 0;
  for (const c of first7) interim = gfMul(2, interim) ^ ALPHABET.indexOf(c);
  assert.equal(checkChar(first7), ALPHABET[gfMul(2, interim)]);
});

test('normalisation maps look-alikes and strips separators', () => {
  assert.equal(normalizeTag(' gz-3k7 m2q '), 'GZ3K7M2Q');
  assert.equal(normalizeTag('GZOIL'), 'GZ011');
});

test('scan text: URLs in either case of /d/, bare tags, and foreign codes', () => {
  const tag = TAGS[2];
  assert.deepEqual(parseScan(`http://127.0.0.1:5000/d/${tag}`), {tag});
  assert.deepEqual(parseScan(`HTTPS://XJ.EXAMPLE.CN/D/${tag}`), {tag});
  assert.deepEqual(parseScan(`https://x.cn/d/${tag.toLowerCase()}?s=1`), {tag});
  assert.deepEqual(parseScan(tag.slice(0, 4) + '-' + tag.slice(4)), {tag});
  assert.equal(parseScan('https://weixin.qq.com/r/abc').error, 'not_ours');
  assert.equal(parseScan('hello world').error, 'not_ours');
  const wrong = tag.slice(0, 7) + (tag[7] === '0' ? '1' : '0');
  assert.equal(parseScan(wrong).error, 'bad_check');
});
