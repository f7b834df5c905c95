/** Small pieces of the meeting screens: a check's state, a record's state with the server's
 *  refusal in words, and a pass/fail pair. */
import {html, StateBadge, formatTime} from '../ui.js';
import {t, label} from '../i18n.js';
import {codeText} from '../../core/api.js';

const CHECK_CLASS = {done: 'sent', sent: 'sent', recorded: 'waiting', in_progress: 'waiting', late: 'failed', refused: 'failed', due: 'conflict'};

export function CheckState({state}) {
  return html`<span class=${`xj-state xj-state-${CHECK_CLASS[state] || 'waiting'}`} data-testid="check-state" data-state=${state}>${label('check_state', state)}</span>`;
}

/** One record this phone made: what, when, its outbox state; a refusal's code in words. */
export function RecordLine({record, what = ''}) {
  const refused = record.state === 'failed' || record.state === 'conflict';
  return html`<div class="xj-item" data-testid="meeting-record" data-type=${record.type} data-uuid=${record.uuid} data-state=${record.state}>
    <div class="xj-row" style="border:0">
      <span>${label('record_type', record.type)}${what ? ` · ${what}` : ''}<br/><span class="xj-muted">${formatTime(record.client_time)}</span></span>
      <${StateBadge} state=${record.state} />
    </div>
    ${refused ? html`<p class="xj-error" data-testid="record-refused" data-code=${record.code || ''}>${t('record_refused', {why: record.state === 'conflict' ? t('conflict_why') : codeText(record.code)})}</p>` : null}
  </div>`;
}

/** A pass / fail choice (the checklist's look). */
export function PassFail({value, onChange, labelId}) {
  return html`<div class="xj-choice" role="group" aria-labelledby=${labelId}>
    ${['pass', 'fail'].map((choice) => html`<button type="button" class=${choice} aria-pressed=${String(value === choice)}
      onClick=${() => onChange(choice)}>${label('jt_result', choice)}</button>`)}
  </div>`;
}
