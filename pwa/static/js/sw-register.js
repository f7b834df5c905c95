/** Registers the service worker; a waiting update is offered, never forced (no reload under a half-filled checklist). */
import {Workbox} from 'workbox-window';

export function registerServiceWorker(onUpdateWaiting) {
  if (!('serviceWorker' in navigator)) return null;
  // updateViaCache 'none': the browser always rechecks sw.js and precache-manifest.js.
  const wb = new Workbox('/sw.js', {scope: '/', updateViaCache: 'none'});
  wb.addEventListener('waiting', () => onUpdateWaiting(() => {
    wb.addEventListener('controlling', () => location.reload());
    wb.messageSkipWaiting();
  }));
  wb.register().catch(() => { /* offline first visit or http: the app still runs from the network */ });
  return wb;
}
