/** A unit back from repair: what the vendor did, and whether it goes back into its room (the spare
 *  that stood in for it returns to the pool) or stays as a spare; saved to the outbox as rma_return. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section, formatTime, toast} from '../ui.js';
import {errorText} from '../../core/api.js';
import {t} from '../i18n.js';
import {parseScan} from '../tags.js';
import {all, deviceByTag, outboxRecords} from '../db.js';
import {addRecord, sync, newUuid, localIso} from '../outbox.js';
import {currentPosition} from '../geo.js';
import {openRmaOf} from '../local/rma.js';

export const OUTCOMES = ['repaired', 'replaced', 'scrapped'];

/** What is wrong with the form (field -> message); empty when it can be saved. */
export function rmaProblems({outcome, disposition, serial}) {
  const problems = {};
  if (!OUTCOMES.includes(outcome)) problems.outcome = t('required');
  if (outcome !== 'scrapped' && !disposition) problems.disposition = t('required');
  if (outcome === 'replaced' && !serial.trim()) problems.serial = t('rma_serial_required');
  return problems;
}

function Choice({name, value, current, onPick, label}) {
  return html`<label class="weui-cell weui-check__label" style="display:flex;gap:8px;align-items:center;min-height:44px">
    <input type="radio" name=${name} value=${value} checked=${current === value} onChange=${() => onPick(value)} />${label}</label>`;
}

export function RmaReturnScreen({params, ctx}) {
  const tag = parseScan(params[0]).tag;
  const [uuid] = useState(() => newUuid()); // fixed when the form opens: a double tap cannot make two returns
  const [rma, setRma] = useState(undefined);
  const [outcome, setOutcome] = useState('repaired');
  const [disposition, setDisposition] = useState(null);
  const [serial, setSerial] = useState('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    (async () => {
      const device = await deviceByTag(tag);
      const open = await openRmaOf(device?.id);
      setRma(open);
      if (open) setDisposition(open.swap_id != null ? 'swap_back' : 'keep');
    })();
  }, [tag]);

  async function save(e) {
    e.preventDefault();
    const found = rmaProblems({outcome, disposition, serial});
    setProblems(found);
    if (Object.keys(found).length) return;
    setSaving(true);
    try {
      await addRecord('rma_return', {rma_id: rma.id, outcome, returned_at: localIso(),
        disposition: outcome === 'scrapped' ? null : disposition, new_serial: outcome === 'replaced' ? serial.trim() : null,
        store_room_id: null, note: note.trim() || null}, {position: currentPosition(), uuid});
      toast(t('rma_saved'));
      if (navigator.onLine) sync();
      ctx.refreshCounts();
      ctx.nav(`/d/${tag}`, {replace: true});
    } catch (err) {
      toast(t('save_failed', {msg: errorText(err)}));
      setSaving(false);
    }
  }

  if (rma === undefined) return html`<p class="xj-section">${t('loading')}</p>`;
  if (rma === null) return html`<p class="xj-section xj-warn" role="alert" data-testid="rma-none">${t('rma_none', {tag})}</p>`;
  const error = (field) => (problems[field] ? html`<p class="xj-error" role="alert">${problems[field]}</p>` : null);
  return html`<form data-testid="rma-form" data-uuid=${uuid} onSubmit=${save}>
    <${Section} title=${`${t('rma_return')} · ${tag}`}>
      <p class="xj-muted">${t('rma_sent', {id: rma.id, vendor: rma.vendor || '—', sent: rma.sent_at ? formatTime(rma.sent_at) : '—'})}</p>
      <fieldset class="xj-item" style="border:0;padding:0">
        <legend class="xj-label">${t('rma_outcome')}</legend>
        ${OUTCOMES.map((o) => html`<${Choice} name="outcome" value=${o} current=${outcome} onPick=${setOutcome} label=${t(`rma_${o}`)} />`)}
        ${error('outcome')}
      </fieldset>
      ${outcome === 'replaced' ? html`<div class="xj-item">
        <label class="xj-label" for="rma-serial">${t('rma_new_serial')}</label>
        <input id="rma-serial" class="xj-input" value=${serial} onInput=${(e) => setSerial(e.target.value)} />
        ${error('serial')}</div>` : null}
      ${outcome !== 'scrapped' ? html`<fieldset class="xj-item" style="border:0;padding:0">
        <legend class="xj-label">${t('rma_disposition')}</legend>
        ${rma.swap_id != null ? html`<${Choice} name="disposition" value="swap_back" current=${disposition} onPick=${setDisposition} label=${t('rma_swap_back')} />` : null}
        <${Choice} name="disposition" value="keep" current=${disposition} onPick=${setDisposition} label=${t('rma_keep')} />
        ${error('disposition')}
      </fieldset>` : html`<p class="xj-item xj-warn">${t('rma_scrapped_note')}</p>`}
      <div class="xj-item">
        <label class="xj-label" for="rma-note">${t('note')}</label>
        <textarea id="rma-note" class="xj-input" rows="2" value=${note} onInput=${(e) => setNote(e.target.value)}></textarea>
      </div>
      <button class="weui-btn weui-btn_primary xj-btn" type="submit" disabled=${saving} data-testid="save-rma">${t('rma_save')}</button>
    <//>
  </form>`;
}
