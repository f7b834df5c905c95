/** Edit and resend a refused record of any type other than an inspection (that one has the
 *  checklist, /d/<tag>/edit/<uuid>): the fields the server named in its refusal, each with its
 *  words, fixed in place and sent again under the same uuid (still idempotent). A refusal naming
 *  no field the engineer can type (a rule of the server, not a typo) has no edit: set aside. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section, formatTime, toast} from '../ui.js';
import {t, label} from '../i18n.js';
import {get, put} from '../db.js';
import {retryRecord} from '../outbox.js';
import {codeText} from '../../core/api.js';

// The typed fields of the phone's records (server schemas: faults/records.py, meetings/*.py,
// field/*.py) and the words that name them on the forms that made them.
const FIELD_WORDS = {description: 'description', note: 'note', notes: 'notes', resolution: 'resolution',
  new_serial: 'rma_new_serial', summary: 'visit_summary', confirmed_by: 'confirmed_by'};
const MAX_TEXT = 4000;

/** The fields of `record` the server's refusal names (errors.data.<field>) that an edit can fix. */
export function editableFields(record) {
  if (record?.state !== 'failed' || record.type === 'inspection') return [];
  const named = record.errors?.data && typeof record.errors.data === 'object' ? Object.keys(record.errors.data) : [];
  const typed = (value) => value == null || typeof value === 'string' || typeof value === 'number';
  return named.filter((key) => FIELD_WORDS[key] && typed(record.data?.[key]));
}

/** The fixed fields into the refused record's data, then back to waiting under the same uuid and a
 *  sync (outbox.retryRecord). Until then it stays refused: a crash in between loses no edit. */
export async function resendEdited(uuid, changes) {
  const record = await get('outbox', uuid);
  if (!record || record.state !== 'failed') return;
  await put('outbox', {...record, data: {...record.data, ...changes}, edited_at: Date.now()});
  await retryRecord(uuid);
}

export function RecordEditScreen({params: [uuid], ctx}) {
  const [record, setRecord] = useState(undefined);
  const [values, setValues] = useState({});
  const [problems, setProblems] = useState({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    get('outbox', uuid).then((found) => {
      setRecord(found || null);
      if (found) setValues(Object.fromEntries(editableFields(found).map((k) => [k, found.data[k] ?? ''])));
    });
  }, [uuid]);

  if (record === undefined) return html`<p class="xj-section">${t('loading')}</p>`;
  const fields = record ? editableFields(record) : [];
  if (!fields.length) return html`<p class="xj-section xj-warn" role="alert" data-testid="edit-nothing">${t('edit_nothing')}</p>`;

  const save = async (e) => {
    e.preventDefault();
    const found = {}, changes = {};
    for (const key of fields) {
      const raw = values[key];
      if (typeof record.data[key] === 'number') {
        const n = Number(String(raw).trim());
        if (String(raw).trim() === '' || !Number.isFinite(n)) found[key] = t('number_invalid'); else changes[key] = n;
      } else {
        const text = String(raw ?? '').trim();
        if (!text) found[key] = t('required'); else if (text.length > MAX_TEXT) found[key] = t('edit_too_long', {n: MAX_TEXT}); else changes[key] = text;
      }
    }
    setProblems(found);
    if (Object.keys(found).length) return;
    setSaving(true);
    try {
      await resendEdited(uuid, changes);
      toast(t('edit_resent'));
      ctx.refreshCounts();
      ctx.nav('/outbox', {replace: true});
    } finally {
      setSaving(false);
    }
  };
  const input = (key) => {
    const id = `edit-${key}`;
    const onInput = (ev) => { setValues({...values, [key]: ev.target.value}); setProblems({...problems, [key]: null}); };
    return html`<div class="xj-item" data-testid="edit-field" data-field=${key}>
      <label class="xj-label" for=${id}>${t(FIELD_WORDS[key])}</label>
      ${typeof record.data[key] === 'number'
        ? html`<input id=${id} class="xj-input" type="number" inputmode="decimal" step="any" value=${values[key]} aria-invalid=${problems[key] ? 'true' : 'false'} onInput=${onInput} />`
        : html`<textarea id=${id} class="xj-input" rows="3" maxlength=${MAX_TEXT} value=${values[key]} aria-invalid=${problems[key] ? 'true' : 'false'} onInput=${onInput}></textarea>`}
      <p class="xj-warn">${t('edit_field_refused')}</p>
      ${problems[key] ? html`<p class="xj-error" role="alert">${problems[key]}</p>` : null}
    </div>`;
  };
  return html`<form class="xj-section" data-testid="record-edit" data-uuid=${uuid} onSubmit=${save}>
    <${Section} title=${`${label('record_type', record.type)} ${record.data.tag || record.data.faulty_tag || ''}`}>
      <p class="xj-muted">${formatTime(record.client_time)}</p>
      <p class="xj-warn" data-testid="editing">${t('edit_refused_record', {why: codeText(record.code)})}</p>
      ${fields.map(input)}
    <//>
    <div style="padding:0 16px"><button class="weui-btn weui-btn_primary xj-btn" type="submit" disabled=${saving} data-testid="save-edit">${t('edit_resend')}</button></div>
  </form>`;
}
