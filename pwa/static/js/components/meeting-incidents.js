/** The in-meeting log: pick the site, tap what happened (the entry starts at that moment), add how
 *  long it lasted and what was done, optionally turn it into a fault of a device (its tag). */
import {useState} from 'preact/hooks';
import {html, Section} from '../ui.js';
import {t, label} from '../i18n.js';
import {newUuid, localIso} from '../outbox.js';
import {parseScan} from '../tags.js';
import {INCIDENT_KINDS, meetingSites, inputTime, fromInput} from '../local/meetings.js';
import {RecordLine} from './meeting-bits.js';

export function IncidentLog({meeting, records, save}) {
  const sites = meetingSites(meeting);
  const [siteId, setSiteId] = useState(sites[0]?.id ?? null);
  const [entry, setEntry] = useState(null); // {uuid, kind, started_at} once a kind is tapped
  const siteName = (id) => sites.find((s) => s.id === id)?.name || '';

  const begin = (kind) => setEntry({uuid: newUuid(), kind, started: inputTime(localIso())});
  return html`<${Section} title=${t('incident_section')}>
    <div data-testid="incident-log">
      <label class="xj-label" for="incident-site">${t('incident_site')}</label>
      <select class="xj-input" id="incident-site" value=${siteId ?? ''} onChange=${(e) => setSiteId(Number(e.target.value))}>
        ${sites.map((s) => html`<option value=${s.id}>${s.code} ${s.name}</option>`)}
      </select>
      ${entry ? html`<${IncidentForm} key=${entry.uuid} entry=${entry} site=${siteName(siteId)}
        onCancel=${() => setEntry(null)} onSave=${async (data) => {
          if (await save('meeting_incident', {site_id: siteId, kind: entry.kind, ...data}, {uuid: entry.uuid, done: t('incident_saved')})) setEntry(null);
        }} />` : html`<p class="xj-muted">${t('incident_pick_kind')}</p>
        <div class="xj-choice" role="group" aria-label=${t('incident_section')}>
          ${INCIDENT_KINDS.map((k) => html`<button type="button" data-kind=${k} onClick=${() => begin(k)}>${label('incident_kind', k)}</button>`)}
        </div>`}
      ${records.map((r) => html`<${RecordLine} key=${r.uuid} record=${r}
        what=${`${siteName(r.data.site_id)} ${label('incident_kind', r.data.kind)}${r.data.to_fault ? ` · ${r.data.tag}` : ''}`} />`)}
    </div>
  <//>`;
}

function IncidentForm({entry, site, onSave, onCancel}) {
  const [started, setStarted] = useState(entry.started);
  const [duration, setDuration] = useState('');
  const [action, setAction] = useState('');
  const [toFault, setToFault] = useState(false);
  const [tag, setTag] = useState('');
  const [error, setError] = useState(null);
  const submit = (e) => {
    e.preventDefault();
    const minutes = duration === '' ? null : Number(duration);
    if (minutes != null && !(Number.isInteger(minutes) && minutes >= 0)) { setError(t('duration_invalid')); return; }
    const parsed = toFault ? parseScan(tag) : null;
    if (toFault && !parsed?.tag) { setError(t('incident_tag_required')); return; }
    onSave({started_at: fromInput(started) || localIso(), duration_min: minutes, action: action.trim() || null,
      to_fault: toFault, tag: parsed?.tag || null});
  };
  return html`<form class="xj-item" data-testid="incident-form" data-kind=${entry.kind} onSubmit=${submit}>
    <strong>${site} · ${label('incident_kind', entry.kind)}</strong>
    <label class="xj-label" for="incident-started">${t('incident_started')}</label>
    <input class="xj-input" id="incident-started" type="datetime-local" value=${started} onInput=${(e) => setStarted(e.target.value)} />
    <label class="xj-label" for="incident-duration">${t('incident_duration')}</label>
    <input class="xj-input" id="incident-duration" type="number" inputmode="numeric" min="0" step="1" value=${duration}
      onInput=${(e) => { setDuration(e.target.value); setError(null); }} />
    <label class="xj-label" for="incident-action">${t('incident_action')}</label>
    <textarea class="xj-input" id="incident-action" rows="2" value=${action} onInput=${(e) => setAction(e.target.value)}></textarea>
    <label style="display:flex;gap:8px;align-items:center;min-height:44px">
      <input type="checkbox" data-testid="to-fault" checked=${toFault} onChange=${(e) => { setToFault(e.target.checked); setError(null); }} />
      ${t('incident_to_fault')}</label>
    ${toFault ? html`<label class="xj-label" for="incident-tag">${t('incident_tag')}</label>
      <input class="xj-input" id="incident-tag" autocapitalize="characters" autocomplete="off" placeholder=${t('tag_placeholder')}
        value=${tag} onInput=${(e) => { setTag(e.target.value); setError(null); }} />` : null}
    ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
    <div class="xj-row" style="border:0">
      <button type="button" class="weui-btn weui-btn_mini weui-btn_default xj-btn" onClick=${onCancel}>${t('cancel')}</button>
      <button type="submit" class="weui-btn weui-btn_mini weui-btn_primary xj-btn" data-testid="save-incident">${t('save')}</button></div>
  </form>`;
}
