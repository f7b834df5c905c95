/** Storage health: usage, whether the browser granted persistent storage (asked at sign-in), and
 *  what to do about it on each browser (Today, Settings). */
import {useState, useEffect} from 'preact/hooks';
import {html, formatBytes} from '../ui.js';
import {t} from '../i18n.js';

const BROWSERS = ['chrome', 'wechat', 'safari'];

/** Which advice fits this browser: WeChat's web view, Safari on iOS (no Chrome there), else Chrome. */
export function browserKind(ua = navigator.userAgent) {
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  if (/iPhone|iPad|iPod/i.test(ua) || (/Safari/i.test(ua) && !/Chrome|Chromium|CriOS|Android/i.test(ua))) return 'safari';
  return 'chrome';
}

export function StorageHealth() {
  const [est, setEst] = useState(null);
  const [persisted, setPersisted] = useState(null);
  const load = async () => {
    if (navigator.storage?.estimate) setEst(await navigator.storage.estimate());
    setPersisted(navigator.storage?.persisted ? await navigator.storage.persisted() : false);
  };
  useEffect(() => { load(); }, []);
  const ask = async () => { if (navigator.storage?.persist) await navigator.storage.persist(); load(); };
  const here = browserKind();
  const tips = [here, ...BROWSERS.filter((b) => b !== here)];
  return html`<div data-testid="storage" data-persisted=${persisted == null ? '' : String(persisted)}>
    <div class="xj-row"><span>${t('storage_usage', {used: formatBytes(est?.usage), quota: formatBytes(est?.quota)})}</span></div>
    <div class="xj-row">
      <span class=${persisted ? '' : 'xj-warn'} data-testid="storage-answer">${persisted ? t('storage_granted') : t('storage_denied')}</span>
      ${persisted ? null : html`<button class="weui-btn weui-btn_mini weui-btn_default xj-persist-btn" onClick=${ask}>${t('request_persist')}</button>`}
    </div>
    ${persisted ? null : html`<details class="xj-storage-tips" data-testid="storage-tips" open>
      <summary>${t('storage_howto')}</summary>
      <p class="xj-muted">${t('storage_this_browser', {name: t(`browser_${here}`)})}</p>
      <ul>${tips.map((b) => html`<li data-browser=${b}><strong>${t(`browser_${b}`)}</strong> · ${t(`storage_tip_${b}`)}</li>`)}</ul>
    </details>`}
  </div>`;
}

/** Which in-app browser this is, for the steps out of it: WeChat, QQ, DingTalk, Alipay, or other. */
export function inAppKind(ua = navigator.userAgent) {
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  if (/DingTalk/i.test(ua)) return 'dingtalk';
  if (/AlipayClient/i.test(ua)) return 'alipay';
  if (/\bQQ\//i.test(ua)) return 'qq';
  return 'other';
}

/** Without service workers (WeChat's and other in-app browsers) nothing works offline: say so, and
 *  how to open this page in the system browser. Shown on sign-in and Today; null elsewhere. */
export function NoOfflineNotice() {
  if ('serviceWorker' in navigator) return null;
  const kind = inAppKind();
  return html`<div class="xj-banner xj-banner-warn" role="alert" data-testid="no-offline" data-browser=${kind}>
    <strong>${t('no_offline_title')}</strong>
    <p>${t('no_offline')}</p>
    <p data-testid="no-offline-steps">${t(`no_offline_${kind}`, {url: location.href})}</p>
  </div>`;
}
