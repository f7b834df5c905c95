/** Controller: boot, routing, session and sync state; screens are components under screens/. */
import {render} from 'preact';
import {useState, useEffect, useCallback} from 'preact/hooks';
import {html, Header, TabBar} from './ui.js';
import {t, getLang, setLang} from './i18n.js';
import {getMeta, delMeta, loadConstants} from './db.js';
import {refreshMe, ApiError} from './api.js';
import * as outbox from './outbox.js';
import {safeReturn, officeFor} from '../core/nav.js';
import {TodayScreen, prefetchToday} from './screens/today.js';
import {SIGNED_IN_HINT, warmUpWorker, openCameraEarly, stopEarlyCamera} from './head-start.js';

// Screens loaded on first use (kept here, not a module of their own: one response fewer at boot).
const screens = [];

/** A component standing for the export `name` of the module `load()` imports; renders it once loaded. */
function lazy(load, name) {
  let Screen = null;
  const fetch = () => load().then((module) => { Screen = module[name]; return Screen; });
  function Lazy(props) {
    const [, setLoaded] = useState(Boolean(Screen));
    useEffect(() => { if (!Screen) fetch().then(() => setLoaded(true)); }, []);
    return Screen ? html`<${Screen} ...${props} />` : html`<p class="xj-section" data-testid="screen-loading">${t('loading')}</p>`;
  }
  Lazy.preload = () => (Screen ? Promise.resolve(Screen) : fetch());
  screens.push(Lazy);
  return Lazy;
}

/** Load every lazy screen (at idle after boot): offline, a tap must never wait on a module. */
function preloadScreens() {
  return Promise.all(screens.map((s) => s.preload().catch(() => null)));
}

// Only Today is in the boot graph; the other screens load on first use (and at idle), the one a
// URL opens (sign-in when nobody is signed in) beside the boot's reads. Every module fewer at boot
// is one response fewer for the main thread to take in (docs/pwa.md, Boot path).
const LoginScreen = lazy(() => import('./screens/login.js'), 'LoginScreen');
const PasswordChangeScreen = lazy(() => import('./screens/password.js'), 'PasswordChangeScreen');
const ScanScreen = lazy(() => import('./screens/scan.js'), 'ScanScreen');
const DeviceScreen = lazy(() => import('./screens/device.js'), 'DeviceScreen');
const ChecklistScreen = lazy(() => import('./screens/checklist.js'), 'ChecklistScreen');
const ChecklistEditScreen = lazy(() => import('./screens/checklist.js'), 'ChecklistEditScreen');
const VisitScreen = lazy(() => import('./screens/visit.js'), 'VisitScreen');
const SummaryScreen = lazy(() => import('./screens/summary.js'), 'SummaryScreen');
const OutboxScreen = lazy(() => import('./screens/outbox-list.js'), 'OutboxScreen');
const RecordEditScreen = lazy(() => import('./screens/record-edit.js'), 'RecordEditScreen');
const SettingsScreen = lazy(() => import('./screens/settings.js'), 'SettingsScreen');
const FaultFormScreen = lazy(() => import('./screens/fault-form.js'), 'FaultFormScreen');
const FaultScreen = lazy(() => import('./screens/fault.js'), 'FaultScreen');
const SwapScreen = lazy(() => import('./screens/swap.js'), 'SwapScreen');
const RmaReturnScreen = lazy(() => import('./screens/rma-return.js'), 'RmaReturnScreen');
const MeetingScreen = lazy(() => import('./screens/meeting.js'), 'MeetingScreen');
const RoomCheckScreen = lazy(() => import('./screens/room-check.js'), 'RoomCheckScreen');

const ROUTES = [
  [/^\/$/, TodayScreen, 'today_title'],
  [/^\/login$/, LoginScreen, 'login_title'],
  [/^\/scan$/, ScanScreen, 'scan_title'],
  [/^\/d\/([^/]+)$/i, DeviceScreen, 'device_title'],
  [/^\/d\/([^/]+)\/check$/i, ChecklistScreen, 'check_title'],
  [/^\/d\/([^/]+)\/correct\/([^/]+)$/i, ChecklistScreen, 'correct_title'],
  [/^\/d\/([^/]+)\/edit\/([^/]+)$/i, ChecklistEditScreen, 'edit_title'],
  [/^\/d\/([^/]+)\/fault$/i, FaultFormScreen, 'fault_new_title'],
  [/^\/d\/([^/]+)\/rma$/i, RmaReturnScreen, 'rma_title'],
  [/^\/f\/([^/]+)$/, FaultScreen, 'fault_title'],
  [/^\/swap$/, SwapScreen, 'swap_title'],
  [/^\/m\/(\d+)$/, MeetingScreen, 'meeting_title'],
  [/^\/visit$/, VisitScreen, 'visit_title'],
  [/^\/visit\/summary$/, SummaryScreen, 'visit_summary'],
  [/^\/visit\/room\/(\d+)$/, RoomCheckScreen, 'room_check_title'],
  [/^\/outbox$/, OutboxScreen, 'outbox_title'],
  [/^\/outbox\/edit\/([^/]+)$/, RecordEditScreen, 'edit_title'],
  [/^\/settings$/, SettingsScreen, 'settings_title'],
];

function match(path) {
  for (const [re, Screen, titleKey] of ROUTES) {
    const m = path.match(re);
    if (m) return {Screen, titleKey, params: m.slice(1).map(decodeURIComponent)};
  }
  return {Screen: TodayScreen, titleKey: 'today_title', params: []};
}

function App({initialUser, initialCounts, initialSkew}) {
  const [path, setPath] = useState(location.pathname);
  const [user, setUser] = useState(initialUser);
  const [online, setOnline] = useState(navigator.onLine);
  const [sync, setSync] = useState({...outbox.status});
  const [counts, setCounts] = useState(initialCounts);
  const [update, setUpdate] = useState(null);
  const [skew, setSkew] = useState(initialSkew);
  const [, setLangTick] = useState(0);

  // state: what the next screen should know of how it was reached (tag-source.js), kept by 返回
  const nav = useCallback((to, {replace = false, state = null} = {}) => {
    if (replace) history.replaceState(state, '', to); else history.pushState(state, '', to);
    setPath(location.pathname);
    scrollTo(0, 0);
  }, []);

  const refreshCounts = useCallback(async () => {
    setCounts(await outbox.summary());
    setSkew(await getMeta('clock_skew_seconds', 0));
  }, []);

  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    const onNet = () => setOnline(navigator.onLine);
    addEventListener('popstate', onPop);
    addEventListener('online', onNet);
    addEventListener('offline', onNet);
    const off = outbox.onChange((s) => { setSync(s); refreshCounts(); });
    // at idle: the registration's update check is main-thread work the first screen does not need
    whenIdle(() => import('./sw-register.js').then((m) => m.registerServiceWorker((apply) => setUpdate(() => apply))));
    return () => { removeEventListener('popstate', onPop); off(); };
  }, []);

  const changeLang = (lang) => { setLang(lang); setLangTick((n) => n + 1); };
  const onLoggedIn = (u) => {
    // Back to where sign-in interrupted: the label's URL the app was opened on, or ?next=
    // (same-site paths only), else Today (the office dashboard for supervisors and admins).
    const here = location.pathname === '/login' ? null : location.pathname + location.search;
    const back = safeReturn(new URLSearchParams(location.search).get('next')) || here || '/';
    const [path, search = ''] = back.split(/(?=\?)/);
    // A phone with unsent records (a shared phone) stays on the field app: Today offers them.
    const landing = !((counts?.waiting || 0) + (counts?.failed || 0));
    const office = officeFor(u.role, path, {fromLabel: true, search, landing});
    rememberSignedIn(u);
    if (u.role === 'viewer' && !u.must_change_password) { delMeta('user').finally(() => location.replace(office)); return; }  // no field app
    setUser(u);
    if (u.must_change_password) return;  // the password screen first; the outbox waits for it
    outbox.loggedIn(); outbox.sync();
    // Ask while we have a user gesture (first sign-in): evictable storage would risk the outbox.
    // Today's storage section says whether it was granted, and what to do on this browser.
    navigator.storage?.persist?.()?.catch?.(() => {});
    if (office) location.replace(office); else nav(back, {replace: true});
  };
  // The required change done: on to where sign-in was going (the same path as a sign-in).
  const onPasswordChanged = (u) => onLoggedIn(u);
  const ctx = {user, setUser, online, sync, counts, refreshCounts, nav, changeLang, lang: getLang(), onLoggedIn, onPasswordChanged};

  const mustChange = Boolean(user?.must_change_password);  // on /login too: it returns to ?next= after
  const needsLogin = !user || (path === '/login' && !mustChange);
  const {Screen, titleKey, params} = needsLogin ? {Screen: LoginScreen, titleKey: 'login_title', params: []}
    : mustChange ? {Screen: PasswordChangeScreen, titleKey: 'pw_change_title', params: []} : match(path);

  // Banners float above the tab bar: appearing late, they must not shift what the engineer is about to tap.
  return html`
    <div class="xj-banners">
      ${update ? html`<button class="xj-banner xj-banner-update" data-testid="update-banner" onClick=${() => update()}>${t('update_available')}</button>` : null}
      ${user && !mustChange && sync.needLogin && path !== '/login' ? html`<button class="xj-banner xj-banner-warn" onClick=${() => nav(`/login?next=${encodeURIComponent(path + location.search)}`)}>${t('session_expired')}</button>` : null}
      ${skew ? html`<div class="xj-banner xj-banner-warn" role="alert">${t('clock_skew', {n: Math.round(Math.abs(skew) / 60)})}</div>` : null}
    </div>
    <${Header} title=${t(titleKey)} online=${online} nav=${nav} back=${/^\/(d|visit|f\/|swap|m\/)/.test(path) ? '/' : null} />
    <main id="main"><${Screen} key=${path} params=${params} ctx=${ctx} /></main>
    ${needsLogin || mustChange ? null : html`<${TabBar} path=${path} counts=${counts} nav=${nav} />`}
  `;
}

/** Where a label's URL goes before the field app starts (null: the field app serves it): a
 *  viewer never gets the field app; a phone with nobody signed in asks the server whether this
 *  browser is signed in already (an office session), so a supervisor lands on the office page. */
async function elsewhere(user) {
  const path = location.pathname, search = location.search;
  if (user) return officeFor(user.role, path, {search});
  if (!officeFor('supervisor', path, {fromLabel: true, search}) || !navigator.onLine) return null;
  try {
    const response = await fetch('/api/v1/auth/me', {headers: {Accept: 'application/json'}, credentials: 'same-origin', cache: 'no-store'});
    if (!response.ok) return null;
    const {user: signedIn} = await response.json();
    return signedIn.role === 'engineer' ? null : officeFor(signedIn.role, path, {fromLabel: true, search});
  } catch { return null; }
}

/** For head-start.js, which runs before IndexedDB can be read: whether to open the camera on /scan. */
function rememberSignedIn(user) {
  try { localStorage.setItem(SIGNED_IN_HINT, user && user.role !== 'viewer' ? '1' : '0'); } catch { /* private mode: no head start */ }
}

const SCREENS_PRELOAD_MS = 2500;
const whenIdle = (fn) => (self.requestIdleCallback ? requestIdleCallback(fn, {timeout: 1500}) : setTimeout(fn, 200));

async function boot() {
  performance.mark('xj-boot'); // the boot graph fetched and evaluated (bench/pwa.py reads the marks)
  document.documentElement.lang = getLang();
  // The screen this URL opens starts loading before anything is read (a deep link's modules are
  // not in the boot graph): if nobody is signed in it is only loaded sooner than at idle.
  const {Screen} = match(location.pathname);
  Screen.preload?.().catch(() => {});
  const user = await getMeta('user');
  rememberSignedIn(user);
  // Opened on the scanner: head-start.js started the decoder's compile, and the camera if this phone
  // was signed in at its last boot, before the boot graph had loaded. Now that the user is known:
  // a signed-in engineer's camera opens (if the hint was stale), anyone else's is closed again.
  if (location.pathname === '/scan') { if (user) openCameraEarly(); else stopEarlyCamera(); }
  const office = await elsewhere(user);
  if (office) { location.replace(office); return; }
  // All at once before the first render (each its own IndexedDB request, none waiting on another):
  // the rules, the sync bar's state, the outbox counts, the clock warning, Today's data and the
  // screen this URL opens (Today's is in the boot graph already): the first render is the whole screen.
  const [, , counts, skew] = await Promise.all([loadConstants(), outbox.loadStatus(), outbox.summary(),
    getMeta('clock_skew_seconds', 0), user && Screen === TodayScreen ? prefetchToday() : null,
    (user ? (user.must_change_password ? PasswordChangeScreen : Screen) : LoginScreen).preload?.()]);
  const root = document.getElementById('app');
  root.textContent = ''; // drop the static "loading" text
  render(html`<${App} initialUser=${user} initialCounts=${counts} initialSkew=${skew} />`, root);
  performance.mark('xj-render');
  outbox.startAutoSync();
  import('./geo.js').then((m) => m.watchPosition()); // where each record was made; not needed to boot
  // After first paint, while the engineer reads Today: compile the decoder (its own thread) so the
  // scanner is ready when the engineer is. The other screens load later (parsing them is main-thread
  // work, and Today's IndexedDB waits look idle): soon enough that an offline tap rarely waits on one.
  whenIdle(() => warmUpWorker());
  setTimeout(() => whenIdle(preloadScreens), SCREENS_PRELOAD_MS);
  if (user && navigator.onLine) {
    try {
      await refreshMe();
      outbox.sync();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) outbox.needLogin();
      // Online but the server did not answer: sync anyway, so the bar says so and the back-off
      // starts now rather than at the next 60 s tick (the outbox stays untouched either way).
      else outbox.sync();
    }
  }
}

boot();
