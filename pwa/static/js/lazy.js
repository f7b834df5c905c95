/** Screens loaded on first use: keeps the boot module graph to what Today and sign-in need. */
import {useState, useEffect} from 'preact/hooks';
import {html} from './html.js';
import {t} from './i18n.js';

const screens = [];

/** A component standing for the export `name` of the module `load()` imports; renders it once loaded. */
export function lazy(load, name) {
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
export function preloadScreens() {
  return Promise.all(screens.map((s) => s.preload().catch(() => null)));
}
