// Run: node --test tests/pwa/supervisor_page.test.mjs — the supervisor pages' shared helpers.
import test from 'node:test';
import assert from 'node:assert/strict';
import {esc, latestOnly} from '../../pwa/static/supervisor/page.js';

test('only the latest of overlapping loads may draw', () => {
  const start = latestOnly();
  const first = start();
  assert.equal(first(), true);
  const second = start();
  assert.equal(first(), false, 'an earlier load answering late must not draw');
  assert.equal(second(), true);
  const other = latestOnly()();  // another page's loads are counted apart
  assert.equal(other(), true);
  assert.equal(second(), true);
});

test('esc escapes what would break out of markup', () => {
  assert.equal(esc(`<b a="1">'&'</b>`), '&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;');
  assert.equal(esc(null), '');
});
