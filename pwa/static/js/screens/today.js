/** Today: the open faults assigned to me, planned visits, the active visit, outbox state,
 *  storage health and install hint. */
import {useState, useEffect, useRef} from 'preact/hooks';
import {html, Section, StateBadge} from '../ui.js';
import {t, label, pickName} from '../i18n.js';
import {readMany} from '../db.js';
import {OthersNotice} from '../components/others-notice.js';
import {StorageHealth, NoOfflineNotice} from '../components/storage.js';
import {SyncBar} from '../components/sync-bar.js';
import {startVisit, kindsForSite, defaultKind} from '../local/visits.js';
import {MeetingsToday} from '../components/meetings-today.js';
import {mergeFaults, OPEN_STATES} from '../faults-local.js';

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

/** The contractor's spare store (tier 'store') holds spares: it is never a visit site. */
export const isVisitSite = (site) => site.tier !== 'store';

const KIND_ORDER = {daily: 0, monthly: 1, quarterly: 2};
const quarterOf = (iso) => `${iso.slice(0, 4)}Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;

/** Plan entries (pack section `plans`) to show today: still planned; daily ones due today,
 *  monthly ones due this month, quarterly ones of this quarter. Older shapes: an exact date or a period. */
export function planShownToday(plan, today) {
  if (plan.state && plan.state !== 'planned') return false; // replaced or cancelled: dropped from the phone
  const due = plan.due_date;
  if (!due) return dueToday(plan, today);
  const kind = plan.kind || plan.inspection_kind;
  if (kind === 'daily') return due.slice(0, 10) === today;
  if (kind === 'monthly') return due.slice(0, 7) === today.slice(0, 7);
  return due.slice(0, 10) >= today && quarterOf(due) === quarterOf(today);
}

/** What the desk's escalations set (level, tier), in words; empty for a first-line fault with no level. */
export function escalation(fault) {
  const parts = [];
  if (fault.level) parts.push(t(`fault_level_${fault.level}`));
  if (fault.tier && fault.tier !== 'first_line') parts.push(t('fault_tier_now', {tier: label('fault_tier', fault.tier)}));
  return parts.join(' · ');
}

/** Open faults the desk assigned to `user` (pack rows carry assignee_id), the oldest report first. */
export function assignedTo(faults, user) {
  if (user?.id == null) return [];
  return faults.filter((f) => f.assignee_id === user.id && OPEN_STATES.includes(f.state))
    .sort((a, b) => String(a.reported_at).localeCompare(String(b.reported_at)));
}

function planOrder(a, b) {
  const kind = (p) => KIND_ORDER[p.kind || p.inspection_kind] ?? 3;
  return kind(a) - kind(b) || String(a.due_date || '').localeCompare(String(b.due_date || ''))
    || String(a.site_code || '').localeCompare(String(b.site_code || ''));
}

/** Entry ids visited: the server says so, or this phone recorded a visit for them (not yet in a pull). */
function visitedEntryIds(plans, records) {
  const ids = new Set(plans.filter((p) => p.visited).map((p) => p.id));
  for (const r of records) if (r.type === 'visit' && r.data.plan_entry_id != null) ids.add(r.data.plan_entry_id);
  return ids;
}

/** What Today shows, read in one IndexedDB transaction (all stores at once, not one after another):
 *  sites, today's plans and which were visited, the faults the phone knows, the active visit. */
export async function loadToday(today = todayIso()) {
  const {sites, plans, faults, outbox, meta} = await readMany(['sites', 'plans', 'faults', 'outbox'], ['active_visit']);
  const shown = plans.filter((p) => planShownToday(p, today)).sort(planOrder);
  return {sites: sites.sort((a, b) => String(a.code).localeCompare(String(b.code))), plans: shown,
    visited: visitedEntryIds(shown, outbox), faults: mergeFaults(faults, outbox), active: meta.active_visit};
}

// Read by the boot beside its own reads (prefetchToday); the first render takes it whole, so
// Today's first paint already shows its data (no "loading" frame and no second IndexedDB round).
let prefetched = null;
export function prefetchToday() {
  prefetched = null;
  return loadToday().then((data) => { prefetched = data; });
}
const takePrefetched = () => { const data = prefetched; prefetched = null; return data; };

export function TodayScreen({ctx}) {
  const [data, setData] = useState(takePrefetched);
  const [otherSite, setOtherSite] = useState('');
  const [otherKind, setOtherKind] = useState('');
  const first = useRef(Boolean(data));
  const today = todayIso();

  useEffect(() => {
    if (first.current) { first.current = false; return; } // the boot read it just now
    loadToday(today).then(setData);
  }, [ctx.sync.lastSync]);
  // Interactive: Today's data rendered and painted (bench/pwa.py measures boot to this mark).
  useEffect(() => { if (data && !performance.getEntriesByName('xj-today-ready').length) performance.mark('xj-today-ready'); }, [data]);

  const sites = data?.sites ?? null;
  const {plans = [], visited = new Set(), active = null} = data || {};
  const mine = data ? assignedTo(data.faults, ctx.user) : [];
  if (sites === null) return html`<p class="xj-section">${t('loading')}</p>`;
  const siteOf = (plan) => sites.find((s) => s.id === plan.site_id || String(s.code) === String(plan.site_code));
  const begin = async (site, plan, kind = null) => {
    await startVisit(site, {kind: kind || plan?.inspection_kind || plan?.kind || 'quarterly', planEntryId: plan?.id ?? null});
    ctx.nav('/visit');
  };
  const chosen = sites.find((s) => String(s.id) === otherSite);
  const chooseSite = (id) => {
    setOtherSite(id);
    const site = sites.find((s) => String(s.id) === id);
    setOtherKind(site ? defaultKind(site, {plans, visited}) : '');
  };
  const standalone = matchMedia('(display-mode: standalone)').matches || navigator.standalone;
  const c = ctx.counts || {waiting: 0, sent: 0, failed: 0, conflict: 0, photos_pending: 0};

  return html`
    <${SyncBar} ctx=${ctx} />
    <${NoOfflineNotice} />
    ${standalone || !('serviceWorker' in navigator) ? null : html`<div class="xj-banner xj-banner-info">${t('install_hint')}</div>`}
    ${sites === null ? null : sites.length ? null : html`<div class="xj-banner xj-banner-warn">${t('pack_missing')}</div>`}
    <${OthersNotice} ctx=${ctx} />
    ${mine.length ? html`<${Section} title=${t('assigned_to_me')}>
      <div data-testid="assigned-faults">${mine.map((f) => {
        const site = sites.find((s) => s.id === f.site_id);
        return html`<div class="xj-row" data-testid="assigned-fault" data-uuid=${f.uuid} data-state=${f.state}>
          <a href=${`/f/${f.uuid}`} onClick=${(e) => { e.preventDefault(); ctx.nav(`/f/${f.uuid}`); }}>
            <strong>${f.tag}</strong>${site ? ` · ${pickName(site)}` : ''} · ${label('fault_state', f.state)} · ${label('severity', f.severity)}
            ${escalation(f) ? html` · <span class="xj-badge" data-testid="escalation">${escalation(f)}</span>` : null}<br/>
            <span class="xj-muted">${f.description}</span></a></div>`;
      })}</div>
    <//>` : null}
    ${active ? html`<${Section} title=${t('active_visit')}>
      <div class="xj-row"><span>${pickName(sites.find((s) => s.id === active.site_id)) || active.site_code}</span>
        <button class="weui-btn weui-btn_mini weui-btn_primary xj-btn" onClick=${() => ctx.nav('/visit')}>${t('continue_visit')}</button></div>
    <//>` : null}
    <${MeetingsToday} ctx=${ctx} />
    <${Section} title=${t('planned_visits')}>
      ${plans.length ? plans.map((p) => {
        const site = siteOf(p);
        const done = visited.has(p.id);
        const kind = p.kind || p.inspection_kind || 'quarterly';
        return html`<div class="xj-row" data-testid="plan" data-entry=${p.id} data-site=${p.site_code} data-visited=${String(Boolean(done))}>
          <span>${site ? pickName(site) : (p.site_name || p.site_code)}<br/><span class="xj-muted">${label('inspection_kind', kind)}${p.due_date ? ` · ${t('plan_due', {date: p.due_date.slice(0, 10)})}` : ''}</span></span>
          ${done ? html`<span class="xj-state xj-state-sent" data-testid="plan-visited">✓ ${t('plan_visited')}</span>` : null}
          ${site && !active && !done ? html`<button class="weui-btn weui-btn_mini weui-btn_primary xj-btn" onClick=${() => begin(site, p)}>${t(p.due_date ? 'start_visit_here' : 'start_visit')}</button>` : null}
        </div>`;
      }) : html`<p class="xj-muted">${t('no_plans')}</p>`}
      ${!active && sites.length ? html`<div class="xj-row" data-testid="start-other">
        <select class="xj-input" style="flex:1;min-width:0;width:auto" aria-label=${t('site')} value=${otherSite} onChange=${(e) => chooseSite(e.target.value)}>
          <option value="">${t('site')}…</option>
          ${sites.filter(isVisitSite).map((s) => html`<option value=${s.id}>${s.code} ${pickName(s)}</option>`)}
        </select>
        <select class="xj-input" style="flex:0 1 auto;width:auto" aria-label=${t('visit_kind')} data-testid="visit-kind"
          value=${otherKind} disabled=${!chosen} onChange=${(e) => setOtherKind(e.target.value)}>
          ${chosen ? kindsForSite(chosen).map((k) => html`<option value=${k}>${label('inspection_kind', k)}</option>`)
            : html`<option value="">${t('visit_kind')}</option>`}
        </select>
        <button class="weui-btn weui-btn_mini weui-btn_default xj-btn" disabled=${!chosen || !otherKind}
          onClick=${() => begin(chosen, null, otherKind)}>${t('start_visit')}</button>
      </div>` : null}
    <//>
    <${Section} title=${t('outbox_state')}>
      <div class="xj-row" data-testid="outbox-counts">
        <span><${StateBadge} state="waiting" /> ${c.waiting}</span><span><${StateBadge} state="failed" /> ${c.failed}</span>
        <span><${StateBadge} state="conflict" /> ${c.conflict}</span><span><${StateBadge} state="sent" /> ${c.sent}</span>
      </div>
      ${c.photos_pending ? html`<p class="xj-warn">${t('photos_missing', {n: c.photos_pending})}</p>` : null}
    <//>
    <${Section} title=${t('storage')}><${StorageHealth} /><//>
  `;
}
