/** Small shared pieces: htm bound to Preact (`html`), header, tab bar, state badge, toast, formatting. */
import {h} from 'preact';
import htm from 'htm';
import {t, label} from './i18n.js';

// JSX-like templates without a build step. Here, not a module of its own: every screen needs it
// and each module is one more response for a slow phone to take in at boot.
export const html = htm.bind(h);

export function Header({title, online, back, nav}) {
  return html`<header class="xj-header">
    ${back ? html`<button class="weui-btn_cell xj-btn" style="background:none;border:0;font-size:18px" onClick=${() => (history.length > 1 ? history.back() : nav(back))} aria-label=${t('back')}>‹ ${t('back')}</button>` : null}
    <h1>${title}</h1>
    <span class="xj-net" role="status" data-online=${String(online)}>${online ? t('online') : t('offline')}</span>
  </header>`;
}

export function TabBar({path, counts, nav}) {
  const tabs = [['/', 'tab_today'], ['/scan', 'tab_scan'], ['/outbox', 'tab_outbox'], ['/settings', 'tab_settings']];
  const unsent = counts ? counts.waiting + counts.failed : 0;
  return html`<nav class="xj-tabbar" aria-label=${t('nav_main')}>
    ${tabs.map(([href, key]) => html`<a href=${href} aria-current=${path === href ? 'page' : null}
        onClick=${(e) => { e.preventDefault(); nav(href); }}>${t(key)}${href === '/outbox' && unsent ? html` <span class="xj-badge">${unsent}</span>` : null}</a>`)}
  </nav>`;
}

export function StateBadge({state}) {
  return html`<span class=${`xj-state xj-state-${state}`} data-state=${state}>${label('record_state', state)}</span>`;
}

export function Section({title, children}) {
  return html`<section class="xj-section">${title ? html`<h2>${title}</h2>` : null}${children}</section>`;
}

export function formatBytes(n) {
  if (n == null) return '?';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export function formatTime(iso) {
  if (!iso) return t('never');
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

let toastTimer = null;
export function toast(message) {
  let el = document.getElementById('xj-toast');
  if (!el) {
    el = document.createElement('div');
    el.id = 'xj-toast'; el.className = 'xj-toast'; el.setAttribute('role', 'status');
    document.body.appendChild(el);
  }
  el.textContent = message; el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 2500);
}
