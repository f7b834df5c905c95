/** Visit summary: counts, missing devices, a summary note; finishing queues the visit record. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section, toast} from '../ui.js';
import {t, pickName} from '../i18n.js';
import {get, getMeta, delMeta} from '../db.js';
import {addRecord, sync, localIso} from '../outbox.js';
import {currentPosition} from '../geo.js';
import {visitProgress} from '../local/visits.js';
import {DeviceRow} from '../components/device-row.js';

export function SummaryScreen({ctx}) {
  const [visit, setVisit] = useState(null);
  const [site, setSite] = useState(null);
  const [progress, setProgress] = useState(null);
  const [summary, setSummary] = useState('');

  useEffect(() => {
    (async () => {
      const v = await getMeta('active_visit');
      if (!v) { ctx.nav('/', {replace: true}); return; }
      setVisit(v); setSite(await get('sites', v.site_id)); setProgress(await visitProgress(v));
    })();
  }, []);

  if (!progress) return html`<p class="xj-section">${t('loading')}</p>`;

  async function finish() {
    const data = {site_code: visit.site_code, inspection_kind: visit.kind, started_at: visit.started_at,
      finished_at: localIso(), plan_entry_id: visit.plan_entry_id, summary};
    if (visit.meeting_id != null) data.meeting_id = visit.meeting_id; // only then: older servers refuse the field
    // The visit's uuid was chosen when it started: the inspections already name it.
    await addRecord('visit', data, {position: currentPosition(), uuid: visit.uuid});
    await delMeta('active_visit');
    toast(t('visit_saved'));
    sync({pullPack: false});
    ctx.refreshCounts();
    ctx.nav('/', {replace: true});
  }

  // a daily visit whose rooms were checked as a whole owes no unit-by-unit scan
  const roomChecked = visit.kind === 'daily' && Object.keys(visit.room_checks || {}).length > 0;
  return html`<div data-testid="summary">
    <${Section} title=${pickName(site) || visit.site_code}>
      <div class="xj-row"><span>${t('expected')}</span><strong>${progress.expected.length}</strong></div>
      <div class="xj-row"><span>${t('scanned')}</span><strong>${progress.done.length}</strong></div>
      <div class="xj-row"><span>${t('unexpected')}</span><strong>${progress.unexpected.length}</strong></div>
      ${Object.keys(visit.room_checks || {}).length ? html`<div class="xj-row" data-testid="summary-room-checks"><span>${t('room_checks')}</span><strong>${Object.keys(visit.room_checks).length}</strong></div>` : null}
      ${progress.todo.length && !roomChecked ? html`<p class="xj-warn" role="alert">${t('missing_devices', {n: progress.todo.length})}</p>
        <p class="xj-muted">${t('missing_list')}</p><div data-testid="missing-list">
          ${progress.todo.map((d) => html`<${DeviceRow} key=${d.id} device=${d} types=${progress.types} ctx=${ctx} marker="missing" />`)}</div>` : null}
      <label class="xj-label" for="summary">${t('visit_summary')}</label>
      <textarea class="xj-input" id="summary" rows="4" placeholder=${t('summary_placeholder')} value=${summary} onInput=${(e) => setSummary(e.target.value)}></textarea>
      <button class="weui-btn weui-btn_primary xj-btn" onClick=${finish}>${t('confirm_finish')}</button>
    <//>
  </div>`;
}
