/** Site visit: expected devices not yet inspected vs inspected, and unexpected ones (registered elsewhere or unknown). */
import {useState, useEffect} from 'preact/hooks';
import {html, Section} from '../ui.js';
import {t, label, pickName} from '../i18n.js';
import {get, all, getMeta, devicesAtSite, deviceByTag} from '../db.js';
import {visitProgress, siteCheckTemplate} from '../local/visits.js';
import {DeviceRow} from '../components/device-row.js';

export function VisitScreen({ctx}) {
  const [visit, setVisit] = useState(undefined);
  const [site, setSite] = useState(null);
  const [progress, setProgress] = useState(null);
  const [rooms, setRooms] = useState([]);

  useEffect(() => {
    (async () => {
      const v = await getMeta('active_visit');
      setVisit(v);
      if (!v) return;
      setSite(await get('sites', v.site_id));
      setProgress(await visitProgress(v));
      // the site-level check: one checklist per room, offered on daily visits when the pack has it
      if (v.kind === 'daily' && await siteCheckTemplate()) setRooms((await all('rooms')).filter((r) => r.site_id === v.site_id));
    })();
  }, []);

  if (visit === undefined) return html`<p class="xj-section">${t('loading')}</p>`;
  if (!visit) { ctx.nav('/', {replace: true}); return null; }
  if (!progress) return html`<p class="xj-section">${t('loading')}</p>`;
  const {todo, done, unexpected, types} = progress;

  return html`<div data-testid="visit">
    <${Section} title=${`${pickName(site) || visit.site_code} · ${label('inspection_kind', visit.kind)}`}>
      ${todo.length && done.length ? html`<p data-testid="next-device" data-tag=${todo[0].tag}>${t('next_device', {name: pickName(types.get(todo[0].device_type_id ?? todo[0].type_id)) || '', tag: todo[0].tag})}</p>`
        : !todo.length && done.length ? html`<p class="xj-muted" data-testid="visit-all-done">${t('visit_all_done')}</p>` : null}
      <button class="weui-btn weui-btn_primary xj-btn" data-testid="visit-scan" onClick=${() => ctx.nav('/scan')}>${todo.length && done.length ? t('next_scan') : t('tab_scan')}</button>
    <//>
    ${rooms.length ? html`<${RoomChecks} rooms=${rooms} visit=${visit} ctx=${ctx} />` : null}
    <${Section} title=${`${t('unscanned')} (${todo.length})`}>
      ${todo.map((d) => html`<${DeviceRow} key=${d.id} device=${d} types=${types} ctx=${ctx} marker="todo" />`)}
    <//>
    <${Section} title=${`${t('scanned')} (${done.length})`}>
      ${done.map((d) => html`<${DeviceRow} key=${d.id} device=${d} types=${types} ctx=${ctx} marker="done" />`)}
    <//>
    ${unexpected.length ? html`<${Section} title=${`${t('unexpected')} (${unexpected.length})`}>
      ${unexpected.map((u) => html`<div class="xj-row" data-testid="unexpected"><span>${u.tag}</span>
        <span class="xj-error">${u.device ? t('elsewhere', {site: pickName(u.site) || '?'}) : t('unknown_device', {tag: u.tag})}</span></div>`)}
    <//>` : null}
    <div style="padding:0 16px"><button class="weui-btn weui-btn_default xj-btn" onClick=${() => ctx.nav('/visit/summary')}>${t('finish_visit')}</button></div>
  </div>`;
}

/** The daily visit's site-level check: each room of the site checked once as a whole (no unit scanned). */
function RoomChecks({rooms, visit, ctx}) {
  const done = visit.room_checks || {};
  return html`<${Section} title=${t('room_checks')}>
    <p class="xj-muted">${t('room_checks_hint')}</p>
    ${rooms.map((r) => html`<div class="xj-row" data-testid="room-check" data-room=${r.id} data-done=${String(Boolean(done[r.id]))}>
      <span>${r.name}<br/><span class="xj-muted">${label('room_kind', r.kind)}</span></span>
      ${done[r.id] ? html`<span class="xj-state xj-state-sent">✓ ${t('room_checked')}</span>` : null}
      <button class="weui-btn weui-btn_mini weui-btn_primary xj-btn" onClick=${() => ctx.nav(`/visit/room/${r.id}`)}>${t(done[r.id] ? 'room_check_again' : 'room_check_start')}</button>
    </div>`)}
  <//>`;
}
