/** Today's meetings section: the engineer's meetings of today and tomorrow, each with its due
 *  checks by kind (done of all, late ones marked) and a way into the meeting screen. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section} from '../ui.js';
import {t, label} from '../i18n.js';
import {readMany} from '../db.js';
import {soonOf, recordsAbout, checksOf, dayOf, hhmm} from '../local/meetings.js';

const KINDS = ['arrival', 'switch_on', 'checklist', 'joint_test'];

export function whenText(meeting) {
  const day = dayOf(meeting.starts_at);
  const dayText = day === 'today' ? t('meeting_today') : day === 'tomorrow' ? t('meeting_tomorrow') : day;
  return t('meeting_when', {day: dayText, start: hhmm(meeting.starts_at), end: hhmm(meeting.ends_at)});
}

export function MeetingsToday({ctx}) {
  const [rows, setRows] = useState(null);
  useEffect(() => {
    // one transaction for every meeting (not one outbox read per meeting)
    readMany(['meetings', 'outbox'], ['user', 'active_visit']).then(({meetings, outbox, meta}) => {
      const seen = {user: meta.user, activeVisit: meta.active_visit};
      setRows(soonOf(meetings).map((m) => ({meeting: m, ...checksOf(m, recordsAbout(outbox, m.id), seen)})));
    });
  }, [ctx.sync.lastSync, ctx.counts]);

  if (rows === null) return null;
  return html`<${Section} title=${t('meetings_today')}>
    ${rows.length ? rows.map(({meeting: m, byKind}) => html`<a class="xj-item" href=${`/m/${m.id}`} data-testid="meeting" data-meeting=${m.id}
        style="display:block;text-decoration:none;color:inherit" onClick=${(e) => { e.preventDefault(); ctx.nav(`/m/${m.id}`); }}>
      <div class="xj-row" style="border:0"><strong>${m.title}</strong><span aria-hidden="true">›</span></div>
      <div class="xj-muted">${whenText(m)} · ${label('meeting_kind', m.kind)}${m.major_event ? ` · ${t('meeting_major')}` : ''}</div>
      <div class="xj-muted">${t('meeting_host', {site: m.host_site_name})}${m.host_room_name ? ` ${m.host_room_name}` : ''}</div>
      <div data-testid="meeting-checks">${KINDS.filter((k) => byKind[k]).map((k) => html`<span data-kind=${k}
          class=${byKind[k].late ? 'xj-warn' : byKind[k].done === byKind[k].all ? 'xj-state xj-state-sent' : ''} style="margin-right:10px">
        ${t('check_progress', {label: label('check_kind', k), done: byKind[k].done, all: byKind[k].all})}${byKind[k].late ? ` (${label('check_state', 'late')})` : ''}</span>`)}</div>
    </a>`) : html`<p class="xj-muted">${t('meetings_none')}</p>`}
  <//>`;
}
