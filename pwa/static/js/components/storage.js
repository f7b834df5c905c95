/** Storage health: usage and whether the browser keeps the data (Today, Settings). */
import {useState, useEffect} from 'preact/hooks';
import {html} from '../html.js';
import {t} from '../i18n.js';
import {formatBytes} from '../ui.js';

export function StorageHealth() {
  const [est, setEst] = useState(null);
  const [persisted, setPersisted] = useState(null);
  const load = async () => {
    if (navigator.storage?.estimate) setEst(await navigator.storage.estimate());
    if (navigator.storage?.persisted) setPersisted(await navigator.storage.persisted());
  };
  useEffect(() => { load(); }, []);
  const ask = async () => { if (navigator.storage?.persist) await navigator.storage.persist(); load(); };
  return html`<div data-testid="storage">
    <div class="xj-row"><span>${t('storage_usage', {used: formatBytes(est?.usage), quota: formatBytes(est?.quota)})}</span></div>
    <div class="xj-row">
      <span class=${persisted ? '' : 'xj-warn'}>${persisted ? t('storage_persisted') : t('storage_not_persisted')}</span>
      ${persisted ? null : html`<button class="weui-btn weui-btn_mini weui-btn_default" onClick=${ask}>${t('request_persist')}</button>`}
    </div>
  </div>`;
}
