/** Outbox list: every record with its state and, when failed, why (the server's code, translated;
 *  its English prose only as a collapsed detail); failed ones can be resent. Sent records are
 *  listed for KEEP_SENT_DAYS (outbox.prune). */
import {useState, useEffect} from 'preact/hooks';
import {html} from '../html.js';
import {t, label, getLang} from '../i18n.js';
import {codeText, fieldLines} from '../../core/api.js';
import {outboxRecords, pendingPhotos} from '../db.js';
import {KEEP_SENT_DAYS, retryRecord, pushableBy} from '../outbox.js';
import {Section, StateBadge, formatTime} from '../ui.js';
import {OthersNotice} from '../components/others-notice.js';

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
  const row = (r) => {
      const missing = (r.photos || []).filter((sha) => pending.has(sha)).length;
      const theirs = !pushableBy(r, ctx.user); // another user's: it waits for them (a shared phone)
      return html`<div class="xj-item" data-testid="outbox-record" data-uuid=${r.uuid} data-state=${r.state}>
        <div class="xj-row" style="border:0">
          <span><strong>${label('record_type', r.type)}</strong> ${r.data.tag || r.data.faulty_tag || r.data.site_code || ''}<br/><span class="xj-muted">${formatTime(r.client_time)}</span></span>
          <${StateBadge} state=${r.state} />
        </div>
        ${r.reason || r.code ? html`<${Why} record=${r} />` : null}
        ${missing ? html`<p class="xj-warn">${t('photos_missing', {n: missing})}</p>` : null}
        ${r.made_by && (theirs || r.received_by) ? html`<p class="xj-muted" data-testid="made-by">${t('made_by', {name: r.made_by.display_name})}</p>` : null}
        ${r.state === 'failed' && !theirs ? html`<button class="weui-btn weui-btn_mini weui-btn_default xj-btn" onClick=${() => retryRecord(r.uuid)}>${t('retry')}</button>` : null}
      </div>`;
  };
  // Sent ones under their own heading: a list mixing them with unsent ones reads as "all still to send".
  const unsent = records.filter((r) => r.state !== 'sent'), sent = records.filter((r) => r.state === 'sent');
  return html`<${OthersNotice} ctx=${ctx} />
    ${records.length ? null : html`<${Section}><p class="xj-muted">${t('outbox_empty')}</p><//>`}
    ${unsent.length ? html`<${Section} title=${`${t('outbox_unsent')} (${unsent.length})`}><div data-testid="outbox-unsent">${unsent.map(row)}</div><//>` : null}
    ${sent.length ? html`<${Section} title=${`${t('outbox_sent')} (${sent.length})`}><div data-testid="outbox-sent">${sent.map(row)}</div><//>` : null}
    <${Section}><p class="xj-muted" data-testid="kept-note">${t('sent_kept', {days: KEEP_SENT_DAYS})}</p><//>`;
}

/** Why the server refused (or set aside) a record: its code in words; the fields and the server's
 *  English in a collapsed "details" line (open in English mode). */
function Why({record}) {
  const text = record.state === 'conflict' ? t('conflict_why') : codeText(record.code);
  const fields = fieldLines(record.errors);
  return html`<div class="xj-error" data-testid="record-reason" data-code=${record.code || ''}>
    <p>${t('reason')}: ${text}</p>
    <details class="xj-details" open=${getLang() === 'en'}><summary>${t('details')}</summary>
      ${record.code ? html`<code>${record.code}</code>` : null}
      ${fields.map((line) => html`<code class="xj-detail-line">${line}</code>`)}
      ${record.reason ? html`<code class="xj-detail-line" lang="en">${record.reason}</code>` : null}
    </details></div>`;
}
