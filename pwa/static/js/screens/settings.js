/** Settings: language, storage health, version, logout (refused while anything is unsent). */
import {useState} from 'preact/hooks';
import {html, Section} from '../ui.js';
import {t, LANGS} from '../i18n.js';
import {delMeta, getMeta, outboxRecords, pendingPhotos} from '../db.js';
import {api, forgetPhoneKeys} from '../api.js';
import {APP_VERSION, pushableBy} from '../outbox.js';
import {StorageHealth} from '../components/storage.js';

/** What keeps this user from signing out, records and photos apart (a record's photo is not a second record):
 *  their waiting or failed records, and photos not uploaded unless only another user's records name them. */
async function unsentParts() {
  const user = await getMeta('user');
  let records = 0;
  const othersPhotos = new Set();
  for (const r of await outboxRecords()) {
    if (r.state !== 'waiting' && r.state !== 'failed') continue;
    if (pushableBy(r, user)) records += 1; else for (const sha of r.photos || []) othersPhotos.add(sha);
  }
  const photos = (await pendingPhotos()).filter((p) => !othersPhotos.has(p.sha256)).length;
  return {records, photos};
}

export function SettingsScreen({ctx}) {
  const [message, setMessage] = useState(null);

  async function logout() {
    const {records, photos} = await unsentParts();
    if (records || photos) { setMessage(t('logout_refused_parts', {records, photos})); return; }
    try { await api.post('/api/v1/auth/logout', {}); } catch { /* offline: forget the session locally anyway */ }
    if (ctx.user) await forgetPhoneKeys(ctx.user.username); // revoked with the session
    await delMeta('user'); await delMeta('csrf');
    ctx.setUser(null);
    ctx.nav('/login', {replace: true});
  }

  return html`
    <${Section} title=${t('language')}>
      <div class="xj-choice">
        ${LANGS.map(([code, name]) => html`<button type="button" aria-pressed=${String(ctx.lang === code)} onClick=${() => ctx.changeLang(code)}>${ctx.lang === code ? '✓ ' : ''}${name}</button>`)}
      </div>
    <//>
    <${Section} title=${t('storage')}><${StorageHealth} /><//>
    <${Section}>
      <div class="xj-row"><span>${t('user')}</span><span>${ctx.user?.display_name || ctx.user?.username || ''}</span></div>
      <div class="xj-row"><span>${t('version')}</span><span>${APP_VERSION}</span></div>
      ${message ? html`<p class="xj-error" role="alert" data-testid="logout-refused">${message}</p>` : null}
      <button class="weui-btn weui-btn_warn xj-btn" onClick=${logout}>${t('logout')}</button>
    <//>`;
}
