/** A shared phone: unsent records of another user are said plainly, with a way to hand the phone
 *  back (sign in as them) or, for a supervisor, to receive and send them; nothing is deleted. */
import {html} from '../ui.js';
import {t} from '../i18n.js';
import {receiveFrom, RECEIVER_ROLES} from '../outbox.js';

export function OthersNotice({ctx}) {
  const others = ctx.counts?.others || [];
  if (!others.length) return null;
  const receiver = RECEIVER_ROLES.includes(ctx.user?.role);
  const receive = async (username) => { await receiveFrom(username); ctx.refreshCounts(); };
  return html`<div class="xj-section" role="alert" data-testid="others-unsent">
    ${others.map((o) => html`<div class="xj-item" data-maker=${o.username}>
      <p class="xj-warn">${t('others_unsent', {n: o.n, name: o.display_name})}</p>
      <div class="xj-row" style="border:0">
        <button class="weui-btn weui-btn_mini weui-btn_primary xj-btn" data-testid="sign-in-as"
          onClick=${() => ctx.nav(`/login?as=${encodeURIComponent(o.username)}`)}>${t('sign_in_as', {name: o.display_name})}</button>
        ${receiver ? html`<button class="weui-btn weui-btn_mini weui-btn_default xj-btn" data-testid="receive"
          onClick=${() => receive(o.username)}>${t('receive_records', {name: o.display_name})}</button>` : null}
      </div>
    </div>`)}
  </div>`;
}
