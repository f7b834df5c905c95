/** One fault: state, running clocks (computed on the phone), and buttons to record the next steps. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section, formatTime, toast} from '../ui.js';
import {t, label} from '../i18n.js';
import {addRecord, sync, localIso} from '../outbox.js';
import {currentPosition} from '../geo.js';
import {faultByUuid} from '../faults-local.js';
import {FaultClocks} from '../components/faults.js';

const STEP_BUTTONS = ['responded', 'diagnosing', 'spare_installed', 'resolved'];

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
      aria-pressed=${String(step === s)} disabled=${reached(s)} onClick=${() => setStep(s)}>${label('fault_step', s)}</button>`)}</div>
    ${step ? html`<form onSubmit=${save} data-testid="step-form">
      ${step === 'resolved' ? html`<div class="xj-item"><label class="xj-label" for="step-resolution">${t('resolution')}</label>
        <textarea id="step-resolution" class="xj-input" rows="3" value=${resolution} onInput=${(e) => { setResolution(e.target.value); setError(null); }}></textarea></div>` : null}
      <div class="xj-item"><label class="xj-label" for="step-note">${t('note')}</label>
        <input id="step-note" class="xj-input" value=${note} onInput=${(e) => setNote(e.target.value)} /></div>
      ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
      <button class="weui-btn weui-btn_primary xj-btn" type="submit">${label('fault_step', step)}</button>
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
      <div class="xj-row"><span>${t('status')}</span><strong data-testid="fault-state">${label('fault_state', fault.state)}</strong></div>
      <div class="xj-row"><span>${t('severity')}</span><span>${label('severity', fault.severity)}${fault.urgent_meeting ? ` · ${t('urgent_meeting')}` : ''}</span></div>
      <p>${fault.description}</p>
      ${fault.resolution ? html`<p><strong>${t('resolution')}:</strong> ${fault.resolution}</p>` : null}
      ${['reported', 'responded', 'diagnosing', 'spare_installed', 'resolved', 'closed'].filter((s) => fault[`${s}_at`]).map((s) => html`
        <div class="xj-row"><span>${label('fault_state', s)}</span><span>${formatTime(fault[`${s}_at`])}</span></div>`)}
      ${fault.local ? html`<p class="xj-muted">${t('not_synced')}</p>` : null}
    <//>
    <${Section}><${FaultClocks} fault=${fault} /><//>
    ${open ? html`<${StepForm} fault=${fault} onSaved=${() => setTick((n) => n + 1)} />` : null}
    ${open ? html`<div style="padding:0 16px"><button class="weui-btn weui-btn_default xj-btn" onClick=${() => ctx.nav('/swap')}>${t('swap_action')}</button></div>` : null}
  </div>`;
}
