/** Checklist: template items (pass/fail/na, numbers with unit and range, text, photos); every change saved as a draft.
 *  At /d/<tag>/correct/<uuid> it corrects an inspection on this phone: prefilled from it, saved as a new
 *  record that supersedes it (same visit); the original stays on the server as history. At /d/<tag>/edit/<uuid>
 *  it fixes an inspection the server refused: prefilled, saved under the SAME uuid (nothing is stored under it)
 *  and sent again; a checklist missing from the pack is replaced by the one the pack gives now. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section, formatTime, toast} from '../ui.js';
import {errorText} from '../../core/api.js';
import {t, label as enumLabel, pickName} from '../i18n.js';
import {all, get, getMeta, setMeta, delMeta} from '../db.js';
import {addRecord, sync, newUuid} from '../outbox.js';
import {addPhoto, photoUrl} from '../photos.js';
import {currentPosition, watchPosition} from '../geo.js';
import {loadDevice} from '../local/devices.js';
import {normalizeItem, outOfRange, templateFor, validate} from '../local/checklists.js';
import {PhotoPicker} from '../components/photos.js';
import {allPass, rememberedNumbers, rememberNumbers, photoUsedBy} from '../local/quick.js';
import {parseScan} from '../tags.js';
import {tagSource, via} from '../tag-source.js';

export function Item({item, value, error, onChange, onPhoto}) {
  const v = value || {};
  const set = (patch) => onChange(patch);
  const label = pickName(item, 'label') || item.key;
  const id = `item-${item.key}`;
  const n = Number(v.value);
  return html`<div class="xj-item" data-testid="item" data-key=${item.key}>
    <span class="xj-label" id=${id}>${label}${item.photoRequired ? html` <span class="xj-muted">(${t('photo_required')})</span>` : null}</span>
    ${item.kind === 'pass_fail' ? html`<div class="xj-choice" role="group" aria-labelledby=${id}>
      ${['pass', 'fail', 'na'].map((choice) => html`<button type="button" class=${choice} aria-pressed=${String(v.value === choice)} onClick=${() => set({value: choice})}>${enumLabel('outcome', choice)}</button>`)}
    </div>` : null}
    ${item.kind === 'number' ? html`<div>
      <input class="xj-input" type="number" inputmode="decimal" step="any" aria-labelledby=${id} value=${v.value ?? ''} onInput=${(e) => set({value: e.target.value, remembered: false})} />
      ${v.remembered ? html`<span class="xj-muted" data-testid="remembered"> ${t('remembered_value')}</span>` : null}
      <span class="xj-muted">${item.unit || ''} ${item.min != null || item.max != null ? t('range', {min: item.min ?? '', max: item.max ?? '', unit: item.unit || ''}) : ''}</span>
      ${v.value !== undefined && v.value !== '' && Number.isFinite(n) && outOfRange(item, n) ? html`<span class="xj-warn"> ${t('out_of_range')}</span>` : null}
    </div>` : null}
    ${item.kind === 'text' ? html`<textarea class="xj-input" aria-labelledby=${id} rows="2" value=${v.value || ''} onInput=${(e) => set({value: e.target.value})}></textarea>` : null}
    ${item.kind !== 'text' ? html`<input class="xj-input" style="margin-top:6px" aria-label=${`${label} ${t('note')}`} placeholder=${t('note')} value=${v.note || ''} onInput=${(e) => set({note: e.target.value})} />` : null}
    <${PhotoPicker} photos=${v.photos || []} onAdd=${(sha) => { onPhoto?.(sha); set((old) => ({photos: [...(old.photos || []), sha]})); }} />
    ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
  </div>`;
}

/** An earlier inspection record's answers as the form's values (numbers as typed text). */
function answersOf(record) {
  const values = {};
  for (const r of record.data.results || []) {
    values[r.key] = {value: r.value == null ? '' : typeof r.value === 'number' ? String(r.value) : r.value,
      note: r.note || '', photos: r.photos || []};
  }
  return values;
}

/** The edit route: the same screen fixing a refused record in place. */
export function ChecklistEditScreen(props) { return ChecklistScreen({...props, editing: true}); }

export function ChecklistScreen({params, ctx, editing = false}) {
  const parsed = parseScan(params[0]);
  const tag = parsed.tag || params[0];
  const earlierUuid = params[1] || null;
  const correcting = editing ? null : earlierUuid; // uuid of the inspection this one corrects
  const draftKey = earlierUuid ? `draft:${tag}:${editing ? 'edit' : 'correct'}:${earlierUuid}` : `draft:${tag}`;
  const [original, setOriginal] = useState(null);
  const [ready, setReady] = useState(false);
  const [template, setTemplate] = useState(null);
  const [info, setInfo] = useState(null);
  const [values, setValues] = useState({});
  const [notes, setNotes] = useState('');
  const [photos, setPhotos] = useState([]);
  const [errors, setErrors] = useState({});
  const [saving, setSaving] = useState(false);
  const [uuid, setUuid] = useState(null); // fixed when the checklist opens: a retried save cannot make a second record
  const [reused, setReused] = useState({}); // photo sha -> other devices' tags it is already evidence for
  const [source, setSource] = useState(tagSource); // how the device page got the tag (null: unknown)

  useEffect(() => {
    watchPosition();
    (async () => {
      const loaded = await loadDevice(tag);
      setInfo(loaded);
      const found = earlierUuid ? await get('outbox', earlierUuid) : null;
      const earlier = editing && found?.state !== 'failed' ? null : found;
      if (earlierUuid && !earlier) { setOriginal(false); setReady(true); return; }
      setOriginal(earlier);
      const pinned = earlier?.data.template_id != null ? await get('templates', earlier.data.template_id) : null;
      const template = pinned || await templateFor(loaded.type, earlier?.data.inspection_kind || (await getMeta('active_visit'))?.kind || 'quarterly');
      setTemplate(template);
      const draft = await getMeta(draftKey);
      // A fix or correction of a record keeps how that record's tag was obtained; a restored draft, its own.
      if (earlier) setSource(earlier.data.tag_source ?? (editing ? null : tagSource()));
      else if (draft && 'tag_source' in draft) setSource(draft.tag_source);
      if (draft) { setValues(draft.values || {}); setNotes(draft.notes || ''); setPhotos(draft.photos || []); toast(t('draft_restored')); }
      else if (earlier) { setValues(answersOf(earlier)); setNotes(earlier.data.notes || ''); setPhotos(earlier.data.photos || []); }
      else setValues(await rememberedValues(tag, template));
      setUuid(editing ? earlier.uuid : draft?.uuid || newUuid());
      setReady(true);
    })();
  }, [tag]);

  // A phone that dies mid-checklist loses nothing: every change is in IndexedDB.
  // Numbers prefilled from the last check alone are no draft (nothing the engineer entered yet).
  const entered = () => notes || photos.length || Object.values(values).some((v) => !v.remembered);
  useEffect(() => { if (ready && entered()) setMeta(draftKey, {uuid, values, notes, photos, tag_source: source, saved_at: Date.now()}); }, [values, notes, photos]);
  // A red error goes as soon as its item is fixed (new errors wait for the next save).
  useEffect(() => {
    if (!Object.keys(errors).length) return;
    const still = validate((template?.items || []).map(normalizeItem), values);
    const kept = Object.fromEntries(Object.entries(errors).filter(([key]) => still[key]));
    if (Object.keys(kept).length !== Object.keys(errors).length) setErrors(kept);
  }, [values]);

  if (!parsed.tag) return html`<p class="xj-section xj-error" role="alert">${t(parsed.error, {text: parsed.text})}</p>`;
  if (!ready) return html`<p class="xj-section">${t('loading')}</p>`;
  if (original === false) return html`<p class="xj-section xj-error" role="alert">${t('correct_missing')}</p>`;
  const items = (template?.items || []).map(normalizeItem);

  /** Warn when the photo is already evidence for another device (the same hash): a reused photo proves nothing. */
  async function checkReuse(sha) {
    const tags = await photoUsedBy(sha, tag);
    if (tags.length) setReused((old) => ({...old, [sha]: tags}));
  }

  async function save() {
    const found = validate(items, values);
    setErrors(found);
    if (Object.keys(found).length) { toast(t('fix_errors')); return; }
    setSaving(true);
    try {
      await persist();
    } catch (err) {
      // e.g. storage full: the draft is still there; say so instead of pretending it was saved
      setSaving(false);
      toast(t('save_failed', {msg: errorText(err)}));
    }
  }

  async function persist() {
    const active = await getMeta('active_visit');
    // A correction belongs to the visit of what it corrects, whatever visit is open now.
    const visit = original ? (active?.uuid === original.data.visit_uuid ? active : null) : active;
    const visitUuid = original ? original.data.visit_uuid : visit?.uuid || null;
    const results = items.map((item) => {
      const v = values[item.key] || {};
      const value = item.kind === 'number' ? (v.value === '' || v.value == null ? null : Number(v.value)) : (v.value ?? null);
      return {key: item.key, value, note: v.note || '', photos: v.photos || []};
    });
    const allPhotos = [...new Set([...results.flatMap((r) => r.photos), ...photos])];
    const data = {visit_uuid: visitUuid, tag, ...(source ? {tag_source: source} : {}), template_id: template?.id ?? null, template_version: template?.version ?? null,
      // the server checks inspection_kind against the template's
      inspection_kind: template?.inspection_kind || original?.data.inspection_kind || visit?.kind || 'quarterly',
      results, notes, photos, supersedes: editing ? original.data.supersedes ?? null : correcting};
    const record = await addRecord('inspection', data, {position: currentPosition(), photos: allPhotos, uuid});
    await rememberNumbers(tag, results);
    if (visit) { visit.inspected = {...visit.inspected, [tag]: record.uuid}; await setMeta('active_visit', visit); }
    await delMeta(draftKey);
    toast(t('saved_to_outbox'));
    sync({pullPack: false});
    ctx.refreshCounts();
    // back on the device page, it still knows how its tag was obtained (a fault reported next carries it)
    ctx.nav(visit && !original ? '/visit' : `/d/${tag}`, {replace: true, state: via(source)});
  }

  return html`<div data-testid="checklist">
    <${Section} title=${`${tag} ${pickName(info?.type) || ''}`}>
      ${original && editing ? html`<p class="xj-warn" data-testid="editing">${t('editing_refused')}</p>` : null}
      ${original && !editing ? html`<p class="xj-warn" data-testid="correcting">${t('correcting', {time: formatTime(original.client_time)})}</p>` : null}
      ${template ? html`<p class="xj-muted">${pickName(template) || template.name || ''}</p>` : html`<p class="xj-warn">${t('no_template')}</p>`}
      ${items.some((item) => item.kind === 'pass_fail') ? html`<button type="button" class="weui-btn weui-btn_default xj-btn" data-testid="all-pass"
        aria-describedby="all-pass-hint" onClick=${() => setValues((old) => allPass(items, old))}>✓ ${t('all_pass')}</button>
        <p class="xj-muted" id="all-pass-hint">${t('all_pass_hint')}</p>` : null}
      ${items.map((item) => html`<${Item} key=${item.key} item=${item} value=${values[item.key]} error=${errors[item.key]} onPhoto=${checkReuse}
        onChange=${(patch) => setValues((old) => {
          const current = old[item.key] || {};
          return {...old, [item.key]: {...current, ...(typeof patch === 'function' ? patch(current) : patch)}};
        })} />`)}
      <div class="xj-item">
        <label class="xj-label" for="notes">${t('notes')}</label>
        <textarea class="xj-input" id="notes" rows="3" value=${notes} onInput=${(e) => setNotes(e.target.value)}></textarea>
        <${PhotoPicker} photos=${photos} onAdd=${(sha) => { checkReuse(sha); setPhotos((old) => [...old, sha]); }} />
      </div>
      ${Object.entries(reused).map(([sha, tags]) => html`<p class="xj-warn" role="alert" data-testid="photo-reused" data-sha=${sha}>${t('photo_reused', {tags: tags.join('、')})}</p>`)}
      <button class="weui-btn weui-btn_primary xj-btn" disabled=${saving} onClick=${save} data-testid="save-check">${t('save_check')}</button>
    <//>
  </div>`;
}

/** The form's first values for a new check: the numbers remembered from this device's last check. */
async function rememberedValues(tag, template) {
  const numbers = await rememberedNumbers(tag, (template?.items || []).map(normalizeItem));
  return Object.fromEntries(Object.entries(numbers).map(([key, value]) => [key, {value, remembered: true}]));
}
