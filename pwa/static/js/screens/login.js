/** Login screen: username + password; the outbox is untouched whatever happens here. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section} from '../ui.js';
import {t, LANGS} from '../i18n.js';
import {login, ApiError, NetworkError} from '../api.js';
import {errorText} from '../../core/api.js';
import {labelTag} from '../../core/nav.js';
import {NoOfflineNotice} from '../components/storage.js';
import {register} from '../../core/i18n.js';
import {PASSWORD} from '../../core/dict/password.js';

// The password change's words, registered by the two screens that lead to it (sign-in, which can
// end in the required change, and the change itself), not at boot: one module fewer there.
register(PASSWORD);

/** What the label says about its owner and whom to call, for whoever scanned it (public). */
function LabelContact() {
  const [contact, setContact] = useState(null);
  useEffect(() => {
    fetch('/api/v1/labels/contact', {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
      .then((r) => (r.ok ? r.json() : null)).then(setContact).catch(() => {});
  }, []);
  if (!contact) return null;
  return html`<div class="xj-label-contact" data-testid="label-contact">
    ${contact.owner_line ? html`<p>${t('label_owner', {owner: contact.owner_line})}</p>` : null}
    ${contact.support_phone ? html`<p>${t('label_support', {phone: ''})}<a href=${`tel:${contact.support_phone}`}>${contact.support_phone}</a></p>` : null}
  </div>`;
}

export function LoginScreen({ctx}) {
  // ?as=<username>: the phone is handed back to the maker of unsent records (screens/others-notice.js)
  const [username, setUsername] = useState(() => new URLSearchParams(location.search).get('as') || ctx.user?.username || '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      ctx.onLoggedIn(await login(username, password, remember));
    } catch (err) {
      if (err instanceof NetworkError) setError(t('login_offline'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login_locked', {msg: errorText(err)}));
      else if (err instanceof ApiError && err.status === 401) setError(t('login_failed', {msg: t('login_wrong')}));
      else setError(t('login_failed', {msg: errorText(err)}));
    } finally { setBusy(false); }
  }

  return html`<${Section}>
    <${NoOfflineNotice} />
    ${labelTag(location.pathname) ? html`<${LabelContact} />` : null}
    <form onSubmit=${submit} data-testid="login-form">
      <label class="xj-label" for="username">${t('username')}</label>
      <input class="xj-input" id="username" name="username" autocomplete="username" required value=${username} onInput=${(e) => setUsername(e.target.value)} />
      <label class="xj-label" for="password" style="margin-top:12px">${t('password')}</label>
      <input class="xj-input" id="password" name="password" type="password" autocomplete="current-password" required value=${password} onInput=${(e) => setPassword(e.target.value)} />
      <label style="display:flex;align-items:center;gap:8px;min-height:48px">
        <input type="checkbox" checked=${remember} onChange=${(e) => setRemember(e.target.checked)} style="width:24px;height:24px" /> ${t('remember')}
      </label>
      ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
      ${!ctx.online ? html`<p class="xj-warn">${t('login_offline')}</p>` : null}
      <button class="weui-btn weui-btn_primary xj-btn" type="submit" disabled=${busy}>${t('login')}</button>
    </form>
    <div class="xj-choice" style="margin-top:16px">
      ${LANGS.map(([code, name]) => html`<button type="button" aria-pressed=${String(ctx.lang === code)} onClick=${() => ctx.changeLang(code)}>${ctx.lang === code ? '✓ ' : ''}${name}</button>`)}
    </div>
  <//>`;
}
