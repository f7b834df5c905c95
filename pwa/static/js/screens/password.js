/** The required password change on the phone (after an admin's one-time code, or a demo password
 *  outside the demo): the server answers nothing else until it is done; the outbox waits. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section} from '../ui.js';
import {t} from '../i18n.js';
import {api, refreshMe, NetworkError} from '../api.js';
import {errorText} from '../../core/api.js';
import {delMeta} from '../db.js';
import {summary} from '../outbox.js';
import {register} from '../../core/i18n.js';
import {PASSWORD} from '../../core/dict/password.js';

// The password change's words, registered by the two screens that lead to it (sign-in, which can
// end in the required change, and the change itself), not at boot: one module fewer there.
register(PASSWORD);

export function PasswordChangeScreen({ctx}) {
  const [needsCurrent, setNeedsCurrent] = useState(true);
  const [form, setForm] = useState({current: '', next: '', repeat: ''});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    refreshMe().then((me) => setNeedsCurrent(me.current_password_required !== false)).catch(() => {});
  }, []);
  const field = (key) => (e) => setForm({...form, [key]: e.target.value});

  /** Sign out as on Settings: refused while anything is unsent (the outbox is never dropped). */
  async function signOut() {
    const counts = await summary();
    if (counts.unsent) { setError(t('logout_refused', {n: counts.unsent})); return; }
    try { await api.post('/api/v1/auth/logout', {}); } catch { /* offline: forget the session locally */ }
    await delMeta('user'); await delMeta('csrf');
    ctx.setUser(null);
    ctx.nav('/login', {replace: true});
  }

  async function submit(e) {
    e.preventDefault();
    if (form.next !== form.repeat) { setError(t('pw_mismatch')); return; }
    setBusy(true); setError(null);
    const json = {new_password: form.next};
    if (needsCurrent) json.current_password = form.current;
    try {
      await api.post('/api/v1/auth/password', json);
      ctx.onPasswordChanged((await refreshMe()).user);
    } catch (err) {
      setError(err instanceof NetworkError ? t('login_offline') : errorText(err));
    } finally { setBusy(false); }
  }

  return html`<${Section}>
    <form onSubmit=${submit} data-testid="password-change">
      <h2>${t('pw_change_title')}</h2>
      <p>${t(needsCurrent ? 'pw_change_first' : 'pw_change_code')}</p>
      ${needsCurrent ? html`<label class="xj-label" for="pw-current">${t('pw_current')}</label>
        <input class="xj-input" id="pw-current" name="current_password" type="password" autocomplete="current-password" required value=${form.current} onInput=${field('current')} />` : null}
      <label class="xj-label" for="pw-new" style="margin-top:12px">${t('pw_new')}</label>
      <input class="xj-input" id="pw-new" name="new_password" type="password" autocomplete="new-password" required value=${form.next} onInput=${field('next')} />
      <label class="xj-label" for="pw-repeat" style="margin-top:12px">${t('pw_repeat')}</label>
      <input class="xj-input" id="pw-repeat" name="repeat" type="password" autocomplete="new-password" required value=${form.repeat} onInput=${field('repeat')} />
      <p class="xj-hint">${t('pw_policy')}</p>
      ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
      <button class="weui-btn weui-btn_primary xj-btn" type="submit" disabled=${busy}>${t('pw_save')}</button>
      <button class="weui-btn weui-btn_default xj-btn" type="button" onClick=${signOut}>${t('logout')}</button>
    </form>
  <//>`;
}
