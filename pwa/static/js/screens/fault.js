/** One fault: state, running clocks (computed on the phone), and buttons to record the next steps. */
import {useState, useEffect} from 'preact/hooks';
import {html} from '../html.js';
import {t} from '../i18n.js';
import {addRecord, sync, localIso} from '../outbox.js';
import {currentPosition} from '../geo.js';
import {faultByUuid} from '../faults-local.js';
import {clocks, formatDuration} from '../sla.js';
import {Section, formatTime, toast} from '../ui.js';

const STEP_BUTTONS = ['responded', 'diagnosing', 'spare_installed', 'resolved'];
const CLOCK_ORDER = ['response', 'spare', 'handling', 'work'];

/** The four clocks of a fault, with remaining time; breached ones in red. */
export function FaultClocks({fault, now = Date.now()}) {
  const all = clocks(fault, now);
  return html`<div data-testid="fault-clocks">${CLOCK_ORDER.map((name) => {
    const c = all[name];
    const left = c.remaining_seconds == null ? '' : formatDuration(c.remaining_seconds);
    const cls = c.state === 'breached' ? 'xj-error' : (c.state === 'about_to_breach' ? 'xj-warn' : '');
    return html`<div class="xj-row" data-clock=${name} data-state=${c.state}>
      <span>${t(`clock_${name}`)}</span><span class=${cls}>${t(`clk_${c.state}`, {left})}</span></div>`;
  })}</div>`;
}

/** A short list of faults (device page): state, clocks, link to the fault page. */
export function FaultList({faults, ctx}) {
  return html`<div data-testid="fault-list">${faults.map((f) => html`<div class="xj-item" data-testid="fault-row" data-uuid=${f.uuid} data-state=${f.state}>
    <a href=${`/f/${f.uuid}`} onClick=${(e) => { e.preventDefault(); ctx.nav(`/f/${f.uuid}`); }}>
      <strong>${t(`st_${f.state}`)}</strong> · ${t(`sev_${f.severity}`)}${f.urgent_meeting ? ' · ⚑' : ''} — ${f.description}</a>
    ${f.local ? html` <span class="xj-muted">(${t('not_synced')})</span>` : null}
    <${FaultClocks} fault=${f} />
  </div>`)}</div>`;
}

function StepForm({fault, onSaved}) {
  const [step, setStep] = useState(null);
  const [note, setNote] = useState('');
  const [resolution, setResolution] = useState('');
  const [error, setError] = useState(null);
  const reached = (s) => Boolean(fault[`${s}_at`]);

  async function save(e) {
    e.preventDefault();
    if (step === 'resolved' && !resolution.trim() && !fault.resolution) { setError(t('resolution_required')); return; }
    const data = {fault_uuid: fault.uuid, step, at: localIso(), note: note.trim() || null};
    if (step === 'resolved') data.resolution = resolution.trim() || fault.resolution;
    await addRecord('fault_step', data, {position: currentPosition()});
    toast(t('step_saved'));
    if (navigator.onLine) sync();
    setStep(null); setNote(''); setResolution(''); setError(null);
    onSaved();
  }

  return html`<${Section} title=${t('add_step')}>
    <div style="display:flex;flex-wrap:wrap;gap:8px">${STEP_BUTTONS.map((s) => html`<button type="button"
      class=${`weui-btn weui-btn_mini ${step === s ? 'weui-btn_primary' : 'weui-btn_default'} xj-btn`} data-step=${s}
      aria-pressed=${String(step === s)} disabled=${reached(s)} onClick=${() => setStep(s)}>${t(`step_${s}`)}</button>`)}</div>
    ${step ? html`<form onSubmit=${save} data-testid="step-form">
      ${step === 'resolved' ? html`<div class="xj-item"><label class="xj-label" for="step-resolution">${t('resolution')}</label>
        <textarea id="step-resolution" class="xj-input" rows="3" value=${resolution} onInput=${(e) => { setResolution(e.target.value); setError(null); }}></textarea></div>` : null}
      <div class="xj-item"><label class="xj-label" for="step-note">${t('note')}</label>
        <input id="step-note" class="xj-input" value=${note} onInput=${(e) => setNote(e.target.value)} /></div>
      ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
      <button class="weui-btn weui-btn_primary xj-btn" type="submit">${t(`step_${step}`)}</button>
    </form>` : null}
  <//>`;
}

export function FaultScreen({params, ctx}) {
  const [fault, setFault] = useState(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => { faultByUuid(params[0]).then(setFault); }, [params[0], tick, ctx.counts]);
  useEffect(() => { const id = setInterval(() => setTick((n) => n + 1), 30000); return () => clearInterval(id); }, []);

  if (fault === undefined) return html`<p class="xj-section">${t('loading')}</p>`;
  if (!fault) return html`<p class="xj-section xj-error" role="alert">${t('fault_unknown')}</p>`;
  const open = !['resolved', 'closed'].includes(fault.state);
  return html`<div data-testid="fault" data-uuid=${fault.uuid} data-state=${fault.state}>
    <${Section} title=${`${t('fault_title')} · ${fault.tag}`}>
      <div class="xj-row"><span>${t('status')}</span><strong data-testid="fault-state">${t(`st_${fault.state}`)}</strong></div>
      <div class="xj-row"><span>${t('severity')}</span><span>${t(`sev_${fault.severity}`)}${fault.urgent_meeting ? ` · ${t('urgent_meeting')}` : ''}</span></div>
      <p>${fault.description}</p>
      ${fault.resolution ? html`<p><strong>${t('resolution')}:</strong> ${fault.resolution}</p>` : null}
      ${['reported', 'responded', 'diagnosing', 'spare_installed', 'resolved', 'closed'].filter((s) => fault[`${s}_at`]).map((s) => html`
        <div class="xj-row"><span>${t(`st_${s}`)}</span><span>${formatTime(fault[`${s}_at`])}</span></div>`)}
      ${fault.local ? html`<p class="xj-muted">${t('not_synced')}</p>` : null}
    <//>
    <${Section}><${FaultClocks} fault=${fault} /><//>
    ${open ? html`<${StepForm} fault=${fault} onSaved=${() => setTick((n) => n + 1)} />` : null}
    ${open ? html`<div style="padding:0 16px"><button class="weui-btn weui-btn_default xj-btn" onClick=${() => ctx.nav('/swap')}>${t('swap_action')}</button></div>` : null}
  </div>`;
}
