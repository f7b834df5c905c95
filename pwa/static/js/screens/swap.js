/** Scan-scan swap: the faulty unit, then the spare; refuses what is certainly wrong on this phone, the server flags the rest. */
import {useState, useEffect, useRef} from 'preact/hooks';
import {html, Section, StateBadge, formatTime, toast} from '../ui.js';
import {ManualTagEntry} from '../manual-tag.js';
import {t, reasonText, pickName} from '../i18n.js';
import {all, get, deviceByTag, outboxRecords} from '../db.js';
import {parseScan} from '../tags.js';
import {startScanner} from '../scanner.js';
import {api} from '../api.js';
import {addRecord, sync, localIso} from '../outbox.js';
import {currentPosition} from '../geo.js';
import {openFaultsOf} from '../faults-local.js';

async function unit(tag) {
  const device = await deviceByTag(tag);
  if (!device) return null;
  const type = await get('device_types', device.type_id ?? device.device_type_id);
  const inPool = (await all('spares')).some((s) => s.tag === device.tag || s.id === device.id);
  return {...device, type, inPool};
}

/** Why this unit cannot be the faulty one (null: it can). */
export function faultyProblem(u, tag) {
  if (!u) return t('swap_unknown', {tag});
  if (u.status === 'retired') return t('swap_retired', {tag: u.tag});
  if (u.inPool || u.status === 'spare') return t('swap_faulty_is_spare', {tag: u.tag});
  if (u.room_id == null) return t('swap_faulty_not_installed', {tag: u.tag});
  return null;
}

/** Why this unit cannot replace faulty ({refuse} message, or {confirm} when only a better-grade check is missing). */
export function spareProblem(faulty, u, tag) {
  if (u && u.tag === faulty.tag) return {refuse: t('swap_same_unit')};
  if (!u) return {refuse: t('swap_unknown', {tag})};
  if (u.status === 'retired') return {refuse: t('swap_retired', {tag: u.tag})};
  if (!u.inPool) return {refuse: t('swap_not_spare', {tag: u.tag})};
  if (u.type_id !== faulty.type_id) {
    const names = {spare: u.tag, spare_type: pickName(u.type) || '?', faulty_type: pickName(faulty.type) || '?'};
    if (!u.type || !faulty.type || u.type.kind !== faulty.type.kind) return {refuse: t('swap_other_kind', names)};
    return {confirm: t('swap_other_type', names)};
  }
  return null;
}

/** Swaps recorded on this phone with the server's answer (applied / flagged) once it has one. */
function SwapHistory({ctx}) {
  const [rows, setRows] = useState([]);
  useEffect(() => {
    let live = true;
    (async () => {
      const records = (await outboxRecords()).filter((r) => r.type === 'swap').reverse().slice(0, 10);
      const answers = await Promise.all(records.map(async (r) => {
        if (r.state !== 'sent' || r.server_id == null || !navigator.onLine) return null;
        try { return (await api.get(`/api/v1/swaps/${r.server_id}`)).body; } catch { return null; }
      }));
      if (live) setRows(records.map((r, i) => ({record: r, answer: answers[i]})));
    })();
    return () => { live = false; };
  }, [ctx.counts, ctx.sync?.lastSync]);
  if (!rows.length) return null;
  return html`<${Section} title=${t('recent_swaps')}>${rows.map(({record, answer}) => {
    const state = answer?.state || null;
    const flags = (answer?.flags || []).map((f) => reasonText('flag', f.code, f.params)).join(' ');
    const text = state === 'applied' ? t('swap_applied') : state === 'flagged' ? t('swap_flagged', {reason: flags})
      : state === 'dismissed' ? t('swap_dismissed') : t('swap_pending');
    return html`<div class="xj-item" data-testid="swap-row" data-uuid=${record.uuid} data-server-state=${state || ''}>
      <div class="xj-row" style="border:0"><span>${record.data.faulty_tag} → ${record.data.spare_tag}<br/>
        <span class="xj-muted">${formatTime(record.data.swapped_at)}</span></span><${StateBadge} state=${record.state} /></div>
      <p class=${state === 'flagged' ? 'xj-warn' : 'xj-muted'} data-testid="swap-answer">${text}</p>
</div>`;
  })}<//>`;
}

export function SwapScreen({ctx}) {
  const video = useRef(null);
  const scanner = useRef(null);
  const [camera, setCamera] = useState('starting');
  const [faulty, setFaulty] = useState(null);
  const [spare, setSpare] = useState(null);
  const [needsGrade, setNeedsGrade] = useState(null);
  const [betterGrade, setBetterGrade] = useState(false);
  const [fault, setFault] = useState(null);
  const [message, setMessage] = useState(null);
  const [saved, setSaved] = useState(false);
  const step = useRef('faulty');
  const pick = useRef({faulty: null, sources: {}}); // sources: how each unit's tag was obtained

  async function accept(text, source = 'camera') {
    const parsed = parseScan(text);
    if (!parsed.tag) { setMessage(t(parsed.error, {text: parsed.text})); return; }
    const u = await unit(parsed.tag);
    if (step.current === 'faulty') {
      const problem = faultyProblem(u, parsed.tag);
      if (problem) { setMessage(problem); return; }
      pick.current.faulty = u; pick.current.sources.faulty = source; step.current = 'spare';
      setFaulty(u); setMessage(null);
      setFault((await openFaultsOf(u.tag, u.id))[0] || null);
    } else if (step.current === 'spare') {
      const problem = spareProblem(pick.current.faulty, u, parsed.tag);
      if (problem?.refuse) { setMessage(problem.refuse); return; }
      step.current = 'confirm'; pick.current.sources.spare = source;
      setSpare(u); setNeedsGrade(problem?.confirm || null); setMessage(null);
      scanner.current?.stop(); scanner.current = null;
    }
  }

  useEffect(() => {
    let cancelled = false;
    let lastKey = null;
    let queue = Promise.resolve();
    startScanner(video.current, (text) => {
      const key = `${step.current}:${text}`;
      if (key === lastKey) return; // the same code still in view: judge it once per step
      lastKey = key;
      queue = queue.then(() => accept(text)); // one read at a time: a step is never judged twice at once
    }).then((s) => {
      if (cancelled) { s.stop(); return; }
      scanner.current = s; setCamera('ready');
    }, () => { if (!cancelled) setCamera('denied'); });
    return () => { cancelled = true; scanner.current?.stop(); };
  }, []);

  async function confirm() {
    if (needsGrade && !betterGrade) { setMessage(t('better_grade_required')); return; }
    const data = {faulty_tag: faulty.tag, spare_tag: spare.tag, swapped_at: localIso(),
      fault_uuid: fault?.uuid || null, expected_room_id: faulty.room_id ?? null, better_grade: Boolean(needsGrade && betterGrade), vendor: null,
      faulty_tag_source: pick.current.sources.faulty, spare_tag_source: pick.current.sources.spare};
    await addRecord('swap', data, {position: currentPosition()});
    step.current = 'done'; setSaved(true);
    toast(t('swap_saved'));
    ctx.refreshCounts();
    if (navigator.onLine) sync();
  }

  function restart() {
    step.current = 'faulty'; pick.current.faulty = null; pick.current.sources = {};
    setFaulty(null); setSpare(null); setNeedsGrade(null); setBetterGrade(false); setFault(null); setSaved(false); setMessage(null);
    ctx.nav('/swap', {replace: true}); location.reload();
  }

  const stage = saved ? 'done' : (spare ? 'confirm' : (faulty ? 'spare' : 'faulty'));
  const unitRow = (label, u) => html`<div class="xj-row"><span>${label}</span><strong>${u.tag} · ${pickName(u.type) || '—'}</strong></div>`;
  return html`<div data-testid="swap" data-stage=${stage}>
    <${Section} title=${stage === 'faulty' ? t('swap_step1') : stage === 'spare' ? t('swap_step2') : t('swap_title')}>
      ${faulty ? html`<div data-testid="swap-faulty" data-tag=${faulty.tag}>${unitRow(t('faulty_unit'), faulty)}</div>` : null}
      ${fault ? html`<p class="xj-muted" data-testid="swap-fault">${t('swap_linked_fault', {fault: fault.description})}</p>` : null}
      ${spare ? html`<div data-testid="swap-spare" data-tag=${spare.tag}>${unitRow(t('spare_unit'), spare)}</div>` : null}
      ${message ? html`<p class="xj-error" role="alert" data-testid="swap-message">${message}</p>` : null}
    <//>
    ${stage === 'faulty' || stage === 'spare' ? html`
      ${camera === 'denied' ? html`<div class="xj-banner xj-banner-warn" role="alert">${t('camera_denied')}</div>`
        : html`<video ref=${video} class="xj-video" playsinline muted aria-label=${t('scan_title')}></video>`}
      <${ManualTagEntry} key=${stage} onSubmit=${(text) => accept(text, 'typed')} />` : null}
    ${stage === 'confirm' ? html`<div style="padding:0 16px">
      ${needsGrade ? html`<p class="xj-warn">${needsGrade}</p><label style="display:flex;gap:8px;align-items:center;min-height:44px">
        <input type="checkbox" data-testid="better-grade" checked=${betterGrade} onChange=${(e) => setBetterGrade(e.target.checked)} />${t('better_grade')}</label>` : null}
      <button class="weui-btn weui-btn_primary xj-btn" data-testid="swap-confirm" onClick=${confirm}>${t('swap_confirm')}</button>
      <button class="weui-btn weui-btn_default xj-btn" onClick=${restart}>${t('rescan')}</button></div>` : null}
    ${stage === 'done' ? html`<p class="xj-section" role="status" data-testid="swap-saved">${t('swap_saved')}</p>` : null}
    <${SwapHistory} ctx=${ctx} />
  </div>`;
}
