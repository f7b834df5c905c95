/** Outbox list: every record with its state and, when failed, why (the server's code, translated;
 *  its English prose only as a collapsed detail); failed ones can be resent, a refused inspection
 *  edited and resent under its uuid (/d/<tag>/edit/<uuid>), another type's refused fields edited
 *  (/outbox/edit/<uuid>, screens/record-edit.js), or any refused record set aside with a
 *  reason the server records (never a silent drop). Sent and set-aside records are listed for
 *  KEEP_SENT_DAYS (outbox.prune). */
import {useState, useEffect} from 'preact/hooks';
import {html, Section, StateBadge, formatTime, toast} from '../ui.js';
import {t, label, getLang} from '../i18n.js';
import {codeText, errorText, fieldLines} from '../../core/api.js';
import {outboxRecords, pendingPhotos} from '../db.js';
import {retryRecord, pushableBy, setAside} from '../outbox.js';
import {KEEP_SENT_DAYS} from '../outbox-prune.js';
import {OthersNotice} from '../components/others-notice.js';
import {editableFields} from './record-edit.js';
import {HandFile} from '../components/handfile.js';

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
        ${r.state === 'failed' && !theirs ? html`<button class="weui-btn weui-btn_mini weui-btn_default xj-btn" onClick=${() => retryRecord(r.uuid)}>${t('retry')}</button>
          ${r.type === 'inspection' && r.data.tag ? html`<button class="weui-btn weui-btn_mini weui-btn_primary xj-btn" data-testid="edit-record"
            onClick=${() => ctx.nav(`/d/${r.data.tag}/edit/${r.uuid}`)}>${t('edit_resend')}</button>` : null}
          ${editableFields(r).length ? html`<button class="weui-btn weui-btn_mini weui-btn_primary xj-btn" data-testid="edit-record"
            onClick=${() => ctx.nav(`/outbox/edit/${r.uuid}`)}>${t('edit_resend')}</button>` : null}
          <${SetAsideForm} record=${r} ctx=${ctx} />` : null}
        ${r.state === 'set_aside' ? html`<p class="xj-muted" data-testid="set-aside-why">${t('set_aside_why', {reason: r.set_aside_reason})}</p>` : null}
      </div>`;
  };
  // Sent ones under their own heading: a list mixing them with unsent ones reads as "all still to send".
  const unsent = records.filter((r) => r.state !== 'sent'), sent = records.filter((r) => r.state === 'sent');
  return html`<${OthersNotice} ctx=${ctx} />
    ${records.length ? null : html`<${Section}><p class="xj-muted">${t('outbox_empty')}</p><//>`}
    ${unsent.length ? html`<${Section} title=${`${t('outbox_unsent')} (${unsent.length})`}><div data-testid="outbox-unsent">${unsent.map(row)}</div><//>` : null}
    ${sent.length ? html`<${Section} title=${`${t('outbox_sent')} (${sent.length})`}><div data-testid="outbox-sent">${sent.map(row)}</div><//>` : null}
    <${HandFile} ctx=${ctx} />
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

/** Set a refused record aside: a reason first; the record leaves the unsent ones only once the
 *  server holds the note (outbox.setAside), so a failure here keeps it and says why. */
function SetAsideForm({record, ctx}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return html`<button class="weui-btn weui-btn_mini weui-btn_warn xj-btn" data-testid="set-aside" onClick=${() => setOpen(true)}>${t('set_aside')}</button>`;
  }
  async function submit() {
    if (!reason.trim()) { setError(t('set_aside_need_reason')); return; }
    setBusy(true);
    try {
      await setAside(record.uuid, reason.trim());
      toast(t('set_aside_done'));
      ctx.refreshCounts();
    } catch (err) {
      setError(t('set_aside_failed', {msg: errorText(err)}));
    } finally {
      setBusy(false);
    }
  }
  return html`<div data-testid="set-aside-form">
    <label class="xj-label" for=${`aside-${record.uuid}`}>${t('set_aside_reason')}</label>
    <textarea id=${`aside-${record.uuid}`} class="weui-textarea xj-input" data-testid="set-aside-reason" rows="3" maxlength="2000"
      aria-invalid=${error ? 'true' : 'false'} value=${reason} onInput=${(e) => { setReason(e.target.value); setError(null); }}></textarea>
    ${error ? html`<p class="xj-error" role="alert" data-testid="set-aside-error">${error}</p>` : null}
    <button class="weui-btn weui-btn_mini weui-btn_warn xj-btn" data-testid="set-aside-confirm" disabled=${busy} onClick=${submit}>${t('set_aside_confirm')}</button>
    <button class="weui-btn weui-btn_mini weui-btn_default xj-btn" onClick=${() => { setOpen(false); setError(null); }}>${t('set_aside_cancel')}</button>
  </div>`;
}
