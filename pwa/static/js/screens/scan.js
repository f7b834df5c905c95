/** Scan screen: camera + worker decoder, torch, and manual entry (always there; the only way when the camera is denied). */
import {useState, useEffect, useRef} from 'preact/hooks';
import {html} from '../html.js';
import {ManualTagEntry} from '../manual-tag.js';
import {t} from '../i18n.js';
import {parseScan} from '../tags.js';
import {startScanner} from '../scanner.js';

export function ScanScreen({ctx}) {
  const video = useRef(null);
  const scanner = useRef(null);
  const [state, setState] = useState('starting'); // starting | ready | denied
  const [torch, setTorch] = useState(false);
  const [message, setMessage] = useState(null);

  function accept(text) {
    const result = parseScan(text);
    // replace, not push: 返回 from the device must leave the scanner, whose camera would read the label again
    if (result.tag) { ctx.nav(`/d/${result.tag}`, {replace: true}); return true; }
    setMessage(t(result.error, {text: result.text}));
    return false;
  }

  useEffect(() => {
    let cancelled = false;
    let lastText = null;
    startScanner(video.current, (text) => {
      if (text === lastText) return; // the same foreign code in view: say it once
      lastText = text;
      accept(text);
    }).then((s) => {
      if (cancelled) { s.stop(); return; }
      scanner.current = s; setState('ready');
      performance.mark('xj-scan-ready'); // read by bench/pwa.py
    }, () => { if (!cancelled) setState('denied'); });
    return () => { cancelled = true; scanner.current?.stop(); };
  }, []);

  const toggleTorch = async () => {
    try { await scanner.current.torch(!torch); setTorch(!torch); } catch { /* camera refused: keep state */ }
  };

  return html`<div data-testid="scan" data-scan-ready=${String(state === 'ready')}>
    ${state === 'denied' ? html`<div class="xj-banner xj-banner-warn" role="alert">${t('camera_denied')}</div>` : html`
      <video ref=${video} class="xj-video" playsinline muted aria-label=${t('scan_title')}></video>
      <p class="xj-section" role="status">${state === 'ready' ? t('scan_ready') : t('scan_starting')}</p>
      ${scanner.current?.hasTorch ? html`<button class="weui-btn weui-btn_default xj-btn" onClick=${toggleTorch}>${torch ? t('torch_off') : t('torch_on')}</button>` : null}`}
    ${message ? html`<p class="xj-section xj-error" role="alert" data-testid="scan-message">${message}</p>` : null}
    <${ManualTagEntry} onSubmit=${accept} />
  </div>`;
}
