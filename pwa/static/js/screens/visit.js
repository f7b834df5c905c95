/** Site visit: expected devices not yet inspected vs inspected, and unexpected ones (registered elsewhere or unknown). */
import {useState, useEffect} from 'preact/hooks';
import {html} from '../html.js';
import {t, label, pickName} from '../i18n.js';
import {get, all, getMeta, devicesAtSite, deviceByTag} from '../db.js';
import {Section} from '../ui.js';
import {visitProgress} from '../local/visits.js';

export function DeviceRow({device, types, ctx, marker}) {
  const type = types.get(device.device_type_id ?? device.type_id);
  return html`<a class="xj-row" href=${`/d/${device.tag}`} onClick=${(e) => { e.preventDefault(); ctx.nav(`/d/${device.tag}`); }}
    style="text-decoration:none;color:inherit" data-testid=${marker}>
    <span>${pickName(type) || '—'}<br/><span class="xj-muted">${device.tag}</span></span><span aria-hidden="true">›</span></a>`;
}

export function VisitScreen({ctx}) {
  const [visit, setVisit] = useState(undefined);
  const [site, setSite] = useState(null);
  const [progress, setProgress] = useState(null);

  useEffect(() => {
    (async () => {
      const v = await getMeta('active_visit');
      setVisit(v);
      if (!v) return;
      setSite(await get('sites', v.site_id));
      setProgress(await visitProgress(v));
    })();
  }, []);

  if (visit === undefined) return html`<p class="xj-section">${t('loading')}</p>`;
  if (!visit) { ctx.nav('/', {replace: true}); return null; }
  if (!progress) return html`<p class="xj-section">${t('loading')}</p>`;
  const {todo, done, unexpected, types} = progress;

  return html`<div data-testid="visit">
    <${Section} title=${`${pickName(site) || visit.site_code} · ${label('inspection_kind', visit.kind)}`}>
      <button class="weui-btn weui-btn_primary xj-btn" onClick=${() => ctx.nav('/scan')}>${t('tab_scan')}</button>
    <//>
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
