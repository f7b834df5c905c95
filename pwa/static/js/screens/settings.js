/** Settings: language, storage health, version, logout (refused while anything is unsent). */
import {useState} from 'preact/hooks';
import {html} from '../html.js';
import {t, LANGS} from '../i18n.js';
import {delMeta} from '../db.js';
import {api} from '../api.js';
import {summary, APP_VERSION} from '../outbox.js';
import {StorageHealth} from '../components/storage.js';
import {Section} from '../ui.js';

export function SettingsScreen({ctx}) {
  const [message, setMessage] = useState(null);

  async function logout() {
    const counts = await summary();
    if (counts.unsent) { setMessage(t('logout_refused', {n: counts.unsent})); return; }
    try { await api.post('/api/v1/auth/logout', {}); } catch { /* offline: forget the session locally anyway */ }
    await delMeta('user'); await delMeta('csrf');
    ctx.setUser(null);
    ctx.nav('/login', {replace: true});
  }

  return html`
    <${Section} title=${t('language')}>
      <div class="xj-choice">
        ${LANGS.map(([code, name]) => html`<button type="button" aria-pressed=${String(ctx.lang === code)} onClick=${() => ctx.changeLang(code)}>${name}</button>`)}
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
