/** The usage register (视频会议系统使用情况登记表) on the phone: times, operators, equipment state
 *  before and after, the shutdown in contract order, the recordings kept, remarks and an optional
 *  drawn signature. One per meeting: filling it in again sends a new one and the latest counts.
 *  The form is kept as a draft (meta) until saved: a long form must survive leaving the screen. */
import {useState, useRef, useEffect} from 'preact/hooks';
import {html, Section} from '../ui.js';
import {t, label} from '../i18n.js';
import {newUuid} from '../outbox.js';
import {getMeta, setMeta, delMeta} from '../db.js';
import {SHUTDOWN_STEPS, inputTime, fromInput} from '../local/meetings.js';
import {RecordLine} from './meeting-bits.js';
import {SignaturePad} from './signature.js';

const blankRecording = () => ({server: '', file: '', duration_min: '', retention_days: ''});
const numberOrNull = (v) => (v === '' || v == null ? null : Number(v));

export function UsageRegister({meeting, records, save}) {
  const [open, setOpen] = useState(false);
  return html`<${Section} title=${t('register_section')}>
    <div data-testid="usage-register">
      ${records.map((r) => html`<${RecordLine} key=${r.uuid} record=${r} />`)}
      ${open ? html`<${RegisterForm} meeting=${meeting} onCancel=${() => setOpen(false)}
          onSave=${async (data, options) => { const ok = await save('usage_register', data, options); if (ok) setOpen(false); return ok; }} />`
        : html`<button class="weui-btn weui-btn_default xj-btn" data-testid="open-register" onClick=${() => setOpen(true)}>
          ${records.length ? t('register_again') : t('register_fill')}</button>`}
    </div>
  <//>`;
}

function Field({id, text, children}) {
  return html`<div class="xj-item"><label class="xj-label" for=${id}>${text}</label>${children}</div>`;
}

function RegisterForm({meeting, onSave, onCancel}) {
  const [uuid] = useState(() => newUuid());
  const [v, setV] = useState(() => ({started: inputTime(meeting.starts_at), ended: inputTime(meeting.ends_at),
    operators: '', state_before: '', state_after: '', remarks: ''}));
  const [shutdown, setShutdown] = useState(() => Object.fromEntries(SHUTDOWN_STEPS.map((s) => [s, false])));
  const [recordings, setRecordings] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const pad = useRef(null);
  const draftKey = `register_draft:${meeting.id}`;
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    getMeta(draftKey).then((d) => {
      if (d) { setV(d.v); setShutdown(d.shutdown); setRecordings(d.recordings); }
      setLoaded(true);
    });
  }, []);
  useEffect(() => { if (loaded) setMeta(draftKey, {v, shutdown, recordings}); }, [v, shutdown, recordings, loaded]);
  const set = (key) => (e) => { setV({...v, [key]: e.target.value}); setError(null); };
  const setRec = (i, key, value) => setRecordings(recordings.map((r, j) => (j === i ? {...r, [key]: value} : r)));

  const submit = async (e) => {
    e.preventDefault();
    const started = fromInput(v.started), ended = fromInput(v.ended);
    if (!started || !ended || new Date(ended) <= new Date(started)) { setError(t('register_times_invalid')); return; }
    setBusy(true);
    try {
      const signature = await pad.current?.save();
      const text = (s) => s.trim() || null;
      const ok = await onSave({
        started_at: started, ended_at: ended, operators: text(v.operators), state_before: text(v.state_before),
        state_after: text(v.state_after), shutdown: {...shutdown},
        recordings: recordings.filter((r) => r.server.trim() || r.file.trim()).map((r) => ({server: r.server.trim(), file: r.file.trim(),
          duration_min: numberOrNull(r.duration_min), retention_days: numberOrNull(r.retention_days)})),
        remarks: text(v.remarks), signature_photo_id: signature || null,
      }, {uuid, photos: signature ? [signature] : [], done: t('register_saved')});
      if (ok) await delMeta(draftKey);
    } finally { setBusy(false); }
  };

  return html`<form data-testid="register-form" onSubmit=${submit}>
    <${Field} id="reg-started" text=${t('register_started')}><input class="xj-input" id="reg-started" type="datetime-local" value=${v.started} onInput=${set('started')} /><//>
    <${Field} id="reg-ended" text=${t('register_ended')}><input class="xj-input" id="reg-ended" type="datetime-local" value=${v.ended} onInput=${set('ended')} /><//>
    <${Field} id="reg-operators" text=${t('register_operators')}><input class="xj-input" id="reg-operators" value=${v.operators} onInput=${set('operators')} /><//>
    <${Field} id="reg-before" text=${t('register_state_before')}><textarea class="xj-input" id="reg-before" rows="2" value=${v.state_before} onInput=${set('state_before')}></textarea><//>
    <${Field} id="reg-after" text=${t('register_state_after')}><textarea class="xj-input" id="reg-after" rows="2" value=${v.state_after} onInput=${set('state_after')}></textarea><//>
    <fieldset class="xj-item" style="border:0;padding:0" data-testid="shutdown">
      <legend class="xj-label">${t('register_shutdown')}</legend>
      ${SHUTDOWN_STEPS.map((s, i) => html`<label style="display:flex;gap:8px;align-items:center;min-height:44px">
        <input type="checkbox" data-step=${s} checked=${shutdown[s]} onChange=${(e) => setShutdown({...shutdown, [s]: e.target.checked})} />
        ${i + 1}. ${label('shutdown_step', s)}</label>`)}
    </fieldset>
    <div class="xj-item" data-testid="recordings">
      <span class="xj-label">${t('register_recordings')}</span>
      ${recordings.map((r, i) => html`<div class="xj-item" data-testid="recording">
        ${[['server', 'rec_server', 'text'], ['file', 'rec_file', 'text'], ['duration_min', 'rec_duration', 'number'], ['retention_days', 'rec_retention', 'number']]
          .map(([key, text, type]) => html`<input class="xj-input" style="margin-top:4px" name=${key} type=${type} min=${type === 'number' ? '0' : null}
            aria-label=${t(text)} placeholder=${t(text)} value=${r[key]} onInput=${(e) => setRec(i, key, e.target.value)} />`)}
        <button type="button" class="weui-btn weui-btn_mini weui-btn_default xj-btn" data-testid="remove-recording"
          onClick=${() => setRecordings(recordings.filter((_, j) => j !== i))}>${t('register_remove')}</button>
      </div>`)}
      <button type="button" class="weui-btn weui-btn_mini weui-btn_default xj-btn" data-testid="add-recording"
        onClick=${() => setRecordings([...recordings, blankRecording()])}>${t('register_add_recording')}</button>
    </div>
    <${Field} id="reg-remarks" text=${t('register_remarks')}><textarea class="xj-input" id="reg-remarks" rows="2" value=${v.remarks} onInput=${set('remarks')}></textarea><//>
    <div class="xj-item"><span class="xj-label">${t('register_signature')}</span><${SignaturePad} pad=${pad} /></div>
    ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
    <div class="xj-row" style="border:0">
      <button type="button" class="weui-btn weui-btn_mini weui-btn_default xj-btn" onClick=${onCancel}>${t('cancel')}</button>
      <button type="submit" class="weui-btn weui-btn_mini weui-btn_primary xj-btn" data-testid="save-register" disabled=${busy}>${t('save')}</button></div>
  </form>`;
}
