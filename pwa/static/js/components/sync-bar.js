/** The sync state on Today, kept in view (sticky): unsent count, offline or server out of reach
 *  with the back-off's next try, the last successful sync, "sync now"; and the records the server
 *  says never arrived from this user's phones (docs/sync.md, Outbox reports). */
import {useState, useEffect} from 'preact/hooks';
import {html, formatTime} from '../ui.js';
import {t} from '../i18n.js';
import {sync} from '../outbox.js';

/** The bar's main line and its tone (ok, warn, error). */
export function syncLine(s, counts, online) {
  const unsent = (counts?.waiting || 0) + (counts?.failed || 0);
  if (s.syncing) return [t('syncing'), 'ok'];
  if (!online || s.lastError === 'offline') return [t('sync_offline'), 'warn'];
  if (s.lastError === 'unreachable') return [t('sync_unreachable'), 'error'];
  if (s.lastError) return [t('sync_server_error'), 'error'];
  return [unsent ? t('sync_waiting', {n: unsent}) : t('sync_ok'), unsent ? 'warn' : 'ok'];
}

function useNow(active) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function SyncBar({ctx}) {
  const s = ctx.sync;
  const now = useNow(Boolean(s.retryAt));
  const [line, tone] = syncLine(s, ctx.counts, ctx.online);
  const wait = s.retryAt && s.lastError && !s.syncing ? Math.max(0, Math.ceil((s.retryAt - now) / 1000)) : null;
  const c = ctx.counts || {};
  return html`<div class=${`xj-syncbar xj-syncbar-${tone}`} data-testid="sync-bar" data-error=${s.lastError || ''} role="status">
    <div class="xj-syncbar-text">
      <strong data-testid="sync-line">${line}</strong>
      ${c.failed && !s.syncing ? html` · <span>${t('sync_failed_n', {n: c.failed})}</span>` : null}
      <br/><span class="xj-muted" data-testid="sync-last">${t('sync_last_ok', {time: formatTime(s.lastSync)})}${wait != null ? ` · ${t('sync_retry_in', {n: wait})}` : ''}</span>
    </div>
    <button class="weui-btn weui-btn_mini weui-btn_default xj-btn" data-testid="sync-bar-now" onClick=${() => sync()} disabled=${!ctx.online || s.syncing}>${t('sync_now')}</button>
  </div>
  ${s.neverArrived ? html`<div class="xj-banner xj-banner-warn" role="alert" data-testid="never-arrived">${t('never_arrived_phone', {n: s.neverArrived})}</div>` : null}`;
}
