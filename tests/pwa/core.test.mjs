// Run: node --test tests/pwa/core.test.mjs — the front-end core (pwa/static/core/): one language key, one
// dictionary of enum labels, errors by code_name. A stand-in localStorage, set before the core loads.
import test from 'node:test';
import assert from 'node:assert/strict';

const store = new Map([['xj-lang', 'en']]);  // an office page's old key and code
globalThis.localStorage = {getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k)};
const core = await import('../../pwa/static/core/index.js');
const {ApiError, errorText, describeError} = await import('../../pwa/static/core/api.js');

test('the old key moves to the one key, as one language code', () => {
  assert.equal(core.getLang(), 'en');
  assert.equal(store.get('xj.lang'), 'en');
  assert.equal(store.has('xj-lang'), false);
  core.setLang('zh');
  assert.equal(core.getLang(), 'zh-CN');
  assert.equal(store.get('xj.lang'), 'zh-CN');
});

test('one label per enum value, the same for phone and office', () => {
  core.setLang('zh-CN');
  assert.equal(core.label('device_status', 'in_service'), '在用');
  assert.equal(core.label('fault_state', 'reported'), '已报修');
  assert.equal(core.label('severity', 'critical'), '严重');
  core.setLang('en');
  assert.equal(core.label('severity', 'critical'), 'Critical');
  core.setLang('zh-CN');
});

test('a server error shows by its code_name; the English prose only as a detail', () => {
  const error = new ApiError(422, {error: {code: 422, message: 'Offset out of range: use a value between -20 and 20.',
    code_name: 'invalid', errors: {json: {offset_x: ['use a value between -20 and 20']}}}});
  assert.equal(errorText(error), '内容有误，请检查后重新填写。');
  const {fields, detail} = describeError(error);
  assert.deepEqual(fields, ['json.offset_x: use a value between -20 and 20']);
  assert.match(detail, /Offset out of range/);
  core.setLang('en');
  assert.match(errorText(error), /Offset out of range/);
  core.setLang('zh-CN');
});

test('a server error shows the request id to quote; a user error does not', () => {
  const id = '7ee309c2f31b44a0b9cd0813b00bc52d';
  const failed = new ApiError(500, {error: {code: 500, message: 'Internal error; it has been logged.',
    code_name: 'internal', request_id: id}});
  assert.equal(errorText(failed), `服务器出错，已记录。请稍后再试。 报告问题时请提供编号 ${id}`);
  assert.equal(describeError(failed).ref, id);
  const proxy = new ApiError(502, null, 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6');  // nginx: no JSON body
  assert.match(errorText(proxy), /编号 a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6$/);
  const refused = new ApiError(403, {error: {code: 403, message: 'no', code_name: 'forbidden', request_id: id}});
  assert.equal(errorText(refused), '没有权限执行此操作。');
  core.setLang('en');
  assert.match(errorText(failed), new RegExp(`quote reference ${id} when reporting it`));
  core.setLang('zh-CN');
});

test('every server model enum has a label in both languages', () => {
  const models = JSON.parse(process.env.XJ_ENUMS || '{}');
  for (const [domain, values] of Object.entries(models)) {
    for (const value of values) {
      for (const lang of ['zh-CN', 'en']) {
        assert.ok(core.ENUM_LABELS[lang][domain]?.[value], `${lang} ${domain}.${value}`);
      }
    }
  }
  assert.ok(Object.keys(models).length > 10, 'the enums come from tests/pwa/test_core_node.py');
});

test('a return path stays on this site: open-redirect forms refused', async () => {
  const {safeReturn} = await import('../../pwa/static/core/nav.js');
  const origin = 'https://xj.example.cn';
  assert.equal(safeReturn('/d/GZ3K7M2Q', origin), '/d/GZ3K7M2Q');
  assert.equal(safeReturn('/devices/GZ3K7M2Q?x=1#top', origin), '/devices/GZ3K7M2Q?x=1#top');
  for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)',
    '/\t/evil.example', '\\\\evil.example', 'd/GZ3K7M2Q', '', null, undefined, '/%0a/x\n', `/${'a'.repeat(3000)}`]) {
    assert.equal(safeReturn(bad, origin), null, String(bad));
  }
});

test('a label URL opens the field app for an engineer, the office device page for the others', async () => {
  const {officeFor, fieldFor, labelTag} = await import('../../pwa/static/core/nav.js');
  assert.equal(labelTag('/d/GZ3K7M2Q'), 'GZ3K7M2Q');
  assert.equal(labelTag('/visit'), null);
  assert.equal(officeFor('engineer', '/d/GZ3K7M2Q', {fromLabel: true}), null);
  assert.equal(officeFor('supervisor', '/d/GZ3K7M2Q', {fromLabel: true}), '/devices/GZ3K7M2Q');
  assert.equal(officeFor('admin', '/d/GZ3K7M2Q', {fromLabel: true, search: '?field=1'}), null);
  assert.equal(officeFor('supervisor', '/d/GZ3K7M2Q'), null);  // a supervisor working on the phone
  assert.equal(officeFor('viewer', '/d/GZ3K7M2Q/check'), '/devices/GZ3K7M2Q');
  assert.equal(officeFor('viewer', '/'), '/dashboard');
  assert.equal(officeFor('supervisor', '/', {fromLabel: true, landing: true}), '/dashboard');
  assert.equal(officeFor('admin', '/', {landing: true}), '/dashboard');
  assert.equal(officeFor('admin', '/', {landing: true, search: '?field=1'}), null);
  assert.equal(officeFor('supervisor', '/'), null);  // later visits to / stay on the field app
  assert.equal(officeFor('supervisor', '/d/GZ3K7M2Q', {fromLabel: true, landing: true}), '/devices/GZ3K7M2Q');
  assert.equal(officeFor('supervisor', '/visit', {fromLabel: true, landing: true}), null);  // ?next= wins
  assert.equal(officeFor('engineer', '/', {fromLabel: true, landing: true}), null);
  assert.equal(fieldFor('engineer', '/devices/GZ3K7M2Q'), '/d/GZ3K7M2Q');
  assert.equal(fieldFor('supervisor', '/devices/GZ3K7M2Q'), null);
});

test('the charts are SVG with a title, one mark per value, stacked bands summing up', async () => {
  const {barChart, lineChart, hbarChart, niceMax} = await import('../../pwa/static/core/charts.js');
  assert.deepEqual([0, 0.3, 7, 10, 11, 420].map(niceMax), [1, 0.5, 10, 10, 20, 500]);
  const labels = ['1月', '2月', '3月'];
  const grouped = barChart({title: '故障 <每月>', labels, series: [{name: '报修', values: [2, 0, 5]}, {name: '已解决', values: [1, 0, 5]}]});
  assert.match(grouped, /^<svg class="xj-chart" role="img"/);
  assert.match(grouped, /<title id="[^"]+">故障 &lt;每月&gt;<\/title>/);  // escaped
  assert.equal((grouped.match(/<rect class="bar"/g) || []).length, 6);
  const stacked = barChart({title: 't', labels, stacked: true, series: [{name: 'a', values: [1, 2, 3]}, {name: 'b', values: [3, 2, 1]}]});
  const heights = [...stacked.matchAll(/height="([\d.]+)"\s+fill="[^"]+" data-value/g)].map((m) => Number(m[1]));
  assert.equal(heights.length, 6);
  assert.ok(Math.abs(heights[0] + heights[1] - (heights[2] + heights[3])) < 0.2);  // every month sums to 4
  const line = lineChart({title: 't', labels, series: [{name: '解决率', values: [0.5, null, 1]}], max: 1, target: 0.95});
  assert.equal((line.match(/<circle class="point"/g) || []).length, 2);  // a null is a gap
  assert.match(line, /M[\d.]+ [\d.]+ M/);  // the line restarts after the gap
  assert.match(line, /class="target"/);
  const rows = hbarChart({title: 't', labels: ['贵阳市', '遵义市'], series: [{name: 'Q1', values: [0.5, 1]}], max: 1});
  assert.equal((rows.match(/<rect class="bar"/g) || []).length, 2);
});
