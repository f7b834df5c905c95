/** Today: planned visits, the active visit, outbox state, storage health and install hint. */
import {useState, useEffect} from 'preact/hooks';
import {html} from '../html.js';
import {t, pickName} from '../i18n.js';
import {all, getMeta, setMeta} from '../db.js';
import {sync, newUuid, localIso} from '../outbox.js';
import {Section, StateBadge, formatBytes, formatTime} from '../ui.js';

export function todayIso() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Plans due today: an exact date, or a period that contains today. */
function dueToday(plan, today) {
  const date = plan.date || plan.planned_date;
  if (date) return date.slice(0, 10) === today;
  const start = plan.start || plan.period_start, end = plan.end || plan.period_end;
  return Boolean(start && end && start.slice(0, 10) <= today && today <= end.slice(0, 10));
}

export async function startVisit(site, {kind = 'quarterly', planEntryId = null} = {}) {
  const visit = {uuid: newUuid(), site_id: site.id, site_code: String(site.code), kind, plan_entry_id: planEntryId,
    started_at: localIso(), inspected: {}};
  await setMeta('active_visit', visit);
  return visit;
}

export function StorageHealth() {
  const [est, setEst] = useState(null);
  const [persisted, setPersisted] = useState(null);
  const load = async () => {
    if (navigator.storage?.estimate) setEst(await navigator.storage.estimate());
    if (navigator.storage?.persisted) setPersisted(await navigator.storage.persisted());
  };
  useEffect(() => { load(); }, []);
  const ask = async () => { if (navigator.storage?.persist) await navigator.storage.persist(); load(); };
  return html`<div data-testid="storage">
    <div class="xj-row"><span>${t('storage_usage', {used: formatBytes(est?.usage), quota: formatBytes(est?.quota)})}</span></div>
    <div class="xj-row">
      <span class=${persisted ? '' : 'xj-warn'}>${persisted ? t('storage_persisted') : t('storage_not_persisted')}</span>
      ${persisted ? null : html`<button class="weui-btn weui-btn_mini weui-btn_default" onClick=${ask}>${t('request_persist')}</button>`}
    </div>
  </div>`;
}

export function TodayScreen({ctx}) {
  const [plans, setPlans] = useState([]);
  const [sites, setSites] = useState(null);
  const [active, setActive] = useState(null);
  const [lastSync, setLastSync] = useState(null);
  const [otherSite, setOtherSite] = useState('');
  const today = todayIso();

  useEffect(() => {
    (async () => {
      const allSites = await all('sites');
      setSites(allSites.sort((a, b) => String(a.code).localeCompare(String(b.code))));
      setPlans((await all('plans')).filter((p) => dueToday(p, today)));
      setActive(await getMeta('active_visit'));
      setLastSync(await getMeta('last_sync'));
    })();
  }, [ctx.sync.lastSync]);

  if (sites === null) return html`<p class="xj-section">${t('loading')}</p>`;
  const siteOf = (plan) => sites.find((s) => s.id === plan.site_id || String(s.code) === String(plan.site_code));
  const begin = async (site, plan) => {
    await startVisit(site, {kind: plan?.inspection_kind || plan?.kind || 'quarterly', planEntryId: plan?.id ?? null});
    ctx.nav('/visit');
  };
  const standalone = matchMedia('(display-mode: standalone)').matches || navigator.standalone;
  const c = ctx.counts || {waiting: 0, sent: 0, failed: 0, conflict: 0, photos_pending: 0};

  return html`
    ${standalone ? null : html`<div class="xj-banner xj-banner-info">${t('install_hint')}</div>`}
    ${sites === null ? null : sites.length ? null : html`<div class="xj-banner xj-banner-warn">${t('pack_missing')}</div>`}
    ${active ? html`<${Section} title=${t('active_visit')}>
      <div class="xj-row"><span>${pickName(sites.find((s) => s.id === active.site_id)) || active.site_code}</span>
        <button class="weui-btn weui-btn_mini weui-btn_primary xj-btn" onClick=${() => ctx.nav('/visit')}>${t('continue_visit')}</button></div>
    <//>` : null}
    <${Section} title=${t('planned_visits')}>
      ${plans.length ? plans.map((p) => {
        const site = siteOf(p);
        return html`<div class="xj-row" data-testid="plan">
          <span>${site ? pickName(site) : p.site_code}<br/><span class="xj-muted">${t(`kind_${p.inspection_kind || p.kind || 'quarterly'}`)}</span></span>
          ${site && !active ? html`<button class="weui-btn weui-btn_mini weui-btn_primary xj-btn" onClick=${() => begin(site, p)}>${t('start_visit')}</button>` : null}
        </div>`;
      }) : html`<p class="xj-muted">${t('no_plans')}</p>`}
      ${!active && sites.length ? html`<div class="xj-row">
        <select class="xj-input" style="flex:1;min-width:0;width:auto" aria-label=${t('site')} value=${otherSite} onChange=${(e) => setOtherSite(e.target.value)}>
          <option value="">${t('site')}…</option>
          ${sites.map((s) => html`<option value=${s.id}>${s.code} ${pickName(s)}</option>`)}
        </select>
        <button class="weui-btn weui-btn_mini weui-btn_default xj-btn" disabled=${!otherSite}
          onClick=${() => begin(sites.find((s) => String(s.id) === otherSite))}>${t('start_visit')}</button>
      </div>` : null}
    <//>
    <${Section} title=${t('outbox_state')}>
      <div class="xj-row" data-testid="outbox-counts">
        <span><${StateBadge} state="waiting" /> ${c.waiting}</span><span><${StateBadge} state="failed" /> ${c.failed}</span>
        <span><${StateBadge} state="conflict" /> ${c.conflict}</span><span><${StateBadge} state="sent" /> ${c.sent}</span>
      </div>
      ${c.photos_pending ? html`<p class="xj-warn">${t('photos_missing', {n: c.photos_pending})}</p>` : null}
      <div class="xj-row"><span class="xj-muted">${ctx.sync.syncing ? t('syncing') : t('last_sync', {time: formatTime(ctx.sync.lastSync || lastSync)})}</span>
        <button class="weui-btn weui-btn_mini weui-btn_default xj-btn" onClick=${() => sync()} disabled=${!ctx.online}>${t('sync_now')}</button></div>
    <//>
    <${Section} title=${t('storage')}><${StorageHealth} /><//>
  `;
}
