/** One meeting (/m/<id>): its due checks, the arrival (one tap), the sites' switch-on
 *  confirmations, the speaking sites' joint tests, the host room's pre-meeting check, the
 *  in-meeting log and the usage register; every action is a record in the outbox. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section, toast, formatTime} from '../ui.js';
import {t, label} from '../i18n.js';
import {getMeta, siteByCode, get} from '../db.js';
import {newUuid, localIso} from '../outbox.js';
import {errorText} from '../../core/api.js';
import {startVisit} from '../local/visits.js';
import {loadMeeting, meetingRecords, meetingChecks, saveMeetingRecord, hhmm, JOINT_PARTS} from '../local/meetings.js';
import {whenText} from '../components/meetings-today.js';
import {CheckState, RecordLine, PassFail} from '../components/meeting-bits.js';
import {IncidentLog} from '../components/meeting-incidents.js';
import {UsageRegister} from '../components/meeting-register.js';

export function MeetingScreen({params, ctx}) {
  const [meeting, setMeeting] = useState(undefined);
  const [records, setRecords] = useState([]);
  const [state, setState] = useState({checks: [], byKind: {}});
  const [active, setActive] = useState(null);
  const [tick, setTick] = useState(0);
  const reload = () => setTick((n) => n + 1);

  useEffect(() => {
    (async () => {
      const m = await loadMeeting(params[0]);
      setMeeting(m || null);
      if (!m) return;
      const mine = await meetingRecords(m.id);
      setRecords(mine);
      setState(await meetingChecks(m, mine));
      setActive(await getMeta('active_visit'));
    })();
  }, [params[0], tick, ctx.counts]);

  if (meeting === undefined) return html`<p class="xj-section">${t('loading')}</p>`;
  if (!meeting) return html`<p class="xj-section xj-warn" data-testid="meeting-missing">${t('meeting_missing')}</p>`;

  /** Save a record of this meeting; the form's uuid makes a double tap one record. */
  const save = async (type, data, options = {}) => {
    try {
      await saveMeetingRecord(type, {meeting_id: meeting.id, ...data}, options);
      toast(options.done || t('meeting_saved'));
      ctx.refreshCounts();
      reload();
      return true;
    } catch (err) {
      toast(t('save_failed', {msg: errorText(err)}));
      return false;
    }
  };
  const checksOf = (kind) => state.checks.filter((c) => c.kind === kind);
  const mine = (type) => records.filter((r) => r.type === type);
  const shared = {meeting, records, save, ctx};

  return html`<div data-testid="meeting-screen" data-meeting=${meeting.id}>
    <${Section} title=${meeting.title}>
      <p class="xj-muted">${whenText(meeting)} · ${label('meeting_kind', meeting.kind)}${meeting.platform ? ` · ${label('meeting_platform', meeting.platform)}` : ''}${meeting.major_event ? ` · ${t('meeting_major')}` : ''}</p>
      <p class="xj-muted">${t('meeting_host', {site: meeting.host_site_name})}${meeting.host_room_name ? ` ${meeting.host_room_name}` : ''} · ${t('meeting_sites_n', {n: (meeting.sites || []).length})}</p>
    <//>
    <${Section} title=${t('meeting_checks')}>
      ${state.checks.map((c) => html`<div class="xj-row" data-testid="check" data-key=${c.key} data-state=${c.state}>
        <span>${label('check_kind', c.kind)} · ${c.subject}<br/><span class="xj-muted">${t('check_due_at', {time: hhmm(c.due_at)})}</span></span>
        <${CheckState} state=${c.state} /></div>`)}
    <//>
    <${Arrival} ...${shared} checks=${checksOf('arrival')} />
    <${SiteChecks} ...${shared} kind="switch_on" checks=${checksOf('switch_on')} Form=${ConfirmForm} records=${mine('meeting_site_confirmation')} />
    <${SiteChecks} ...${shared} kind="joint_test" checks=${checksOf('joint_test')} Form=${JointTestForm} records=${mine('meeting_joint_test')} />
    <${Checklist} meeting=${meeting} checks=${checksOf('checklist')} active=${active} ctx=${ctx} />
    <${IncidentLog} ...${shared} records=${mine('meeting_incident')} />
    <${UsageRegister} ...${shared} records=${mine('usage_register')} />
  </div>`;
}

function Arrival({meeting, records, checks, save, ctx}) {
  const [uuid] = useState(() => newUuid());
  const [busy, setBusy] = useState(false);
  const own = records.filter((r) => r.type === 'meeting_arrival' && r.state !== 'failed' && (r.made_by?.id ?? ctx.user?.id) === ctx.user?.id);
  const check = checks.find((c) => c.subject_id === ctx.user?.id);
  const done = own.length > 0 || check?.state === 'done';
  const record = async () => { setBusy(true); await save('meeting_arrival', {arrived_at: localIso()}, {uuid}); setBusy(false); };
  return html`<${Section} title=${t('arrival_section')}>
    <div data-testid="arrival">
      ${done ? html`<p class="xj-state xj-state-sent" data-testid="arrival-done">✓ ${t('arrival_done', {time: formatTime(own[0]?.data.arrived_at || check?.done_at)})}</p>`
        : html`<button class="weui-btn weui-btn_primary xj-btn" data-testid="record-arrival" disabled=${busy} onClick=${record}>${t('arrival_record')}</button>`}
      ${records.filter((r) => r.type === 'meeting_arrival').map((r) => html`<${RecordLine} key=${r.uuid} record=${r} />`)}
    </div>
  <//>`;
}

/** A list of the meeting's sites owing one kind of check; a site's form opens under it. */
function SiteChecks({meeting, kind, checks, records, Form, save}) {
  const [open, setOpen] = useState(null);
  const sites = new Map((meeting.sites || []).map((s) => [s.id, s]));
  const title = kind === 'switch_on' ? t('switch_on_section') : t('joint_test_section');
  if (kind === 'joint_test' && !checks.length) return html`<${Section} title=${title}><p class="xj-muted">${t('joint_test_no_sites')}</p><//>`;
  return html`<${Section} title=${title}>
    <div data-testid=${`${kind}-list`}>
    ${checks.map((c) => {
      const site = sites.get(c.subject_id) || {id: c.subject_id, name: c.subject};
      const theirs = records.filter((r) => r.data.site_id === c.subject_id);
      return html`<div class="xj-item" data-testid="site-check" data-kind=${kind} data-site=${site.id} data-state=${c.state}>
        <div class="xj-row" style="border:0"><span>${site.name}${site.code ? html` <span class="xj-muted">${site.code}</span>` : null}</span>
          <span><${CheckState} state=${c.state} />
          ${open === site.id ? null : html` <button type="button" class="weui-btn weui-btn_mini weui-btn_default xj-btn" data-testid="open-site"
            onClick=${() => setOpen(site.id)}>${kind === 'switch_on' ? t('switch_on_confirm') : t('joint_test_do')}</button>`}</span></div>
        ${open === site.id ? html`<${Form} site=${site} onSave=${async (type, data, options) => { if (await save(type, {site_id: site.id, ...data}, options)) setOpen(null); }}
          onCancel=${() => setOpen(null)} />` : null}
        ${theirs.map((r) => html`<${RecordLine} key=${r.uuid} record=${r} what=${resultText(r)} />`)}
      </div>`;
    })}
    </div>
  <//>`;
}

function resultText(record) {
  if (record.type === 'meeting_site_confirmation') return record.data.confirmed_by;
  if (record.type !== 'meeting_joint_test') return '';
  return JOINT_PARTS.map((p) => `${t(`jt_${p}`)} ${label('jt_result', record.data[p])}`).join('，');
}

function Buttons({onCancel}) {
  return html`<div class="xj-row" style="border:0">
    <button type="button" class="weui-btn weui-btn_mini weui-btn_default xj-btn" onClick=${onCancel}>${t('cancel')}</button>
    <button type="submit" class="weui-btn weui-btn_mini weui-btn_primary xj-btn" data-testid="save-site">${t('save')}</button></div>`;
}

function ConfirmForm({site, onSave, onCancel}) {
  const [uuid] = useState(() => newUuid());
  const [who, setWho] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const submit = (e) => {
    e.preventDefault();
    if (!who.trim()) { setError(t('confirmed_by_required')); return; }
    onSave('meeting_site_confirmation', {confirmed_by: who.trim(), confirmed_at: localIso(), note: note.trim() || null}, {uuid});
  };
  const id = `confirm-${site.id}`;
  return html`<form data-testid="confirm-form" onSubmit=${submit}>
    <label class="xj-label" for=${`${id}-who`}>${t('confirmed_by')}</label>
    <input class="xj-input" id=${`${id}-who`} name="confirmed_by" value=${who} onInput=${(e) => { setWho(e.target.value); setError(null); }} />
    <label class="xj-label" for=${`${id}-note`}>${t('note')}</label>
    <input class="xj-input" id=${`${id}-note`} name="note" value=${note} onInput=${(e) => setNote(e.target.value)} />
    ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
    <${Buttons} onCancel=${onCancel} />
  </form>`;
}

function JointTestForm({site, onSave, onCancel}) {
  const [uuid] = useState(() => newUuid());
  const [values, setValues] = useState({});
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const submit = (e) => {
    e.preventDefault();
    if (JOINT_PARTS.some((p) => !values[p])) { setError(t('jt_choose_all')); return; }
    onSave('meeting_joint_test', {...values, note: note.trim() || null, tested_at: localIso()}, {uuid});
  };
  const id = `jt-${site.id}`;
  return html`<form data-testid="joint-test-form" onSubmit=${submit}>
    ${JOINT_PARTS.map((p) => html`<div class="xj-item" data-part=${p}><span class="xj-label" id=${`${id}-${p}`}>${t(`jt_${p}`)}</span>
      <${PassFail} value=${values[p]} labelId=${`${id}-${p}`} onChange=${(v) => { setValues({...values, [p]: v}); setError(null); }} /></div>`)}
    <label class="xj-label" for=${`${id}-note`}>${t('note')}</label>
    <input class="xj-input" id=${`${id}-note`} name="note" value=${note} onInput=${(e) => setNote(e.target.value)} />
    ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
    <${Buttons} onCancel=${onCancel} />
  </form>`;
}

/** The host room's pre-meeting check: a visit of kind pre_meeting at the host site naming the meeting. */
function Checklist({meeting, checks, active, ctx}) {
  const [error, setError] = useState(null);
  const start = async () => {
    const site = (meeting.host_site_id != null && await get('sites', meeting.host_site_id)) || await siteByCode(meeting.host_site_code);
    if (!site) { setError(t('checklist_no_site')); return; }
    await startVisit(site, {kind: 'pre_meeting', meetingId: meeting.id});
    ctx.nav('/visit');
  };
  const ours = active?.meeting_id === meeting.id;
  return html`<${Section} title=${t('checklist_section')}>
    ${checks.map((c) => html`<div class="xj-row" data-testid="checklist-check" data-state=${c.state}><span>${c.subject}</span><${CheckState} state=${c.state} /></div>`)}
    ${ours ? html`<button class="weui-btn weui-btn_primary xj-btn" onClick=${() => ctx.nav('/visit')}>${t('continue_visit')}</button>`
      : active ? html`<p class="xj-warn">${t('checklist_busy')}</p>`
      : html`<button class="weui-btn weui-btn_default xj-btn" data-testid="start-checklist" onClick=${start}>${t('checklist_start')}</button>`}
    ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
  <//>`;
}
