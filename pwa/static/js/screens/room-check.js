/** The site-level check of a room (daily visits): one checklist for the room — display, camera, audio,
 *  network, conference — without scanning each unit; saved as a `site_check` record in the outbox. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section, toast} from '../ui.js';
import {errorText} from '../../core/api.js';
import {t, label, pickName} from '../i18n.js';
import {get, getMeta, setMeta, delMeta} from '../db.js';
import {addRecord, sync, newUuid, localIso} from '../outbox.js';
import {currentPosition, watchPosition} from '../geo.js';
import {normalizeItem, validate} from '../local/checklists.js';
import {siteCheckTemplate} from '../local/visits.js';
import {Item} from './checklist.js';

/** The items in their sections (display, camera, ...), in the template's order. */
function sections(items) {
  const out = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (last && last.section === item.section) last.items.push(item);
    else out.push({section: item.section, items: [item]});
  }
  return out;
}

export function RoomCheckScreen({params, ctx}) {
  const roomId = Number(params[0]);
  const draftKey = `draft:room:${roomId}`;
  const [state, setState] = useState(null); // {visit, room, template}
  const [values, setValues] = useState({});
  const [errors, setErrors] = useState({});
  const [uuid, setUuid] = useState(null); // fixed when the form opens: a double tap makes one record
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    watchPosition();
    (async () => {
      const visit = await getMeta('active_visit');
      if (!visit) { ctx.nav('/', {replace: true}); return; }
      const draft = await getMeta(draftKey);
      if (draft) setValues(draft.values || {});
      setUuid(draft?.uuid || newUuid());
      setState({visit, room: await get('rooms', roomId), template: await siteCheckTemplate()});
    })();
  }, [roomId]);

  useEffect(() => { if (state && uuid) setMeta(draftKey, {uuid, values}); }, [values, uuid]);

  if (!state) return html`<p class="xj-section">${t('loading')}</p>`;
  const {visit, room, template} = state;
  if (!room || !template) return html`<p class="xj-section xj-error" role="alert">${t('room_check_missing')}</p>`;
  const items = template.items.map(normalizeItem);

  async function save() {
    const found = validate(items, values);
    setErrors(found);
    if (Object.keys(found).length) { toast(t('fix_errors')); return; }
    setSaving(true);
    try {
      const results = items.map((item) => {
        const v = values[item.key] || {};
        const value = item.kind === 'number' ? (v.value === '' || v.value == null ? null : Number(v.value)) : (v.value ?? null);
        return {key: item.key, value, note: v.note || '', photos: v.photos || []};
      });
      const photos = [...new Set(results.flatMap((r) => r.photos))];
      const data = {visit_uuid: visit.uuid, room_id: room.id, template_id: template.id, template_version: template.version,
        checked_at: localIso(), results, notes: null, photos};
      const record = await addRecord('site_check', data, {position: currentPosition(), photos, uuid});
      const current = await getMeta('active_visit');
      if (current?.uuid === visit.uuid) await setMeta('active_visit', {...current, room_checks: {...current.room_checks, [room.id]: record.uuid}});
      await delMeta(draftKey);
      toast(t('saved_to_outbox'));
      sync({pullPack: false});
      ctx.refreshCounts();
      ctx.nav('/visit', {replace: true});
    } catch (err) {
      setSaving(false); // e.g. storage full: the draft is still there
      toast(t('save_failed', {msg: errorText(err)}));
    }
  }

  const change = (key) => (patch) => setValues((old) => {
    const current = old[key] || {};
    return {...old, [key]: {...current, ...(typeof patch === 'function' ? patch(current) : patch)}};
  });
  return html`<div data-testid="room-check-form">
    <${Section} title=${`${room.name} · ${label('room_kind', room.kind)}`}>
      <p class="xj-muted">${pickName(template) || ''}</p>
    <//>
    ${sections(items).map((s) => html`<${Section} title=${s.section === 'general' ? t('room_check_other') : label('device_kind', s.section)}>
      ${s.items.map((item) => html`<${Item} key=${item.key} item=${item} value=${values[item.key]} error=${errors[item.key]} onChange=${change(item.key)} />`)}
    <//>`)}
    <div style="padding:0 16px"><button class="weui-btn weui-btn_primary xj-btn" disabled=${saving} onClick=${save} data-testid="save-room-check">${t('room_check_save')}</button></div>
  </div>`;
}
