/** Outbox list: every record with its state and, when failed, the server's reason; failed ones can be
 *  resent. Sent records are listed for KEEP_SENT_DAYS (outbox.prune). */
import {useState, useEffect} from 'preact/hooks';
import {html} from '../html.js';
import {t} from '../i18n.js';
import {outboxRecords, pendingPhotos} from '../db.js';
import {KEEP_SENT_DAYS, retryRecord, pushableBy} from '../outbox.js';
import {Section, StateBadge, formatTime} from '../ui.js';
import {OthersNotice} from './others-notice.js';

export function OutboxScreen({ctx}) {
  const [records, setRecords] = useState(null);
  const [pending, setPending] = useState(new Set());

  useEffect(() => {
    (async () => {
      setRecords((await outboxRecords()).reverse());
      setPending(new Set((await pendingPhotos()).map((p) => p.sha256)));
    })();
  }, [ctx.counts]);

  if (!records) return html`<p class="xj-section">${t('loading')}</p>`;
  return html`<${OthersNotice} ctx=${ctx} /><${Section}>
    ${records.length ? records.map((r) => {
      const missing = (r.photos || []).filter((sha) => pending.has(sha)).length;
      const theirs = !pushableBy(r, ctx.user); // another user's: it waits for them (a shared phone)
      return html`<div class="xj-item" data-testid="outbox-record" data-uuid=${r.uuid} data-state=${r.state}>
        <div class="xj-row" style="border:0">
          <span><strong>${t(r.type)}</strong> ${r.data.tag || r.data.faulty_tag || r.data.site_code || ''}<br/><span class="xj-muted">${formatTime(r.client_time)}</span></span>
          <${StateBadge} state=${r.state} />
        </div>
        ${r.reason ? html`<p class="xj-error">${t('reason')}: ${r.reason}${r.errors ? ` ${JSON.stringify(r.errors)}` : ''}</p>` : null}
        ${missing ? html`<p class="xj-warn">${t('photos_missing', {n: missing})}</p>` : null}
        ${r.made_by && (theirs || r.received_by) ? html`<p class="xj-muted" data-testid="made-by">${t('made_by', {name: r.made_by.display_name})}</p>` : null}
        ${r.state === 'failed' && !theirs ? html`<button class="weui-btn weui-btn_mini weui-btn_default xj-btn" onClick=${() => retryRecord(r.uuid)}>${t('retry')}</button>` : null}
      </div>`;
    }) : html`<p class="xj-muted">${t('outbox_empty')}</p>`}
    <p class="xj-muted" data-testid="kept-note">${t('sent_kept', {days: KEEP_SENT_DAYS})}</p>
  <//>`;
}
