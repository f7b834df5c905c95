/** Scan screen: camera + worker decoder, torch, and manual entry (always there); without a camera
 *  (denied, or an in-app browser with no getUserMedia) a photo of the label, by the same decoder. */
import {useState, useLayoutEffect, useRef} from 'preact/hooks';
import {html} from '../ui.js';
import {ManualTagEntry} from '../manual-tag.js';
import {t} from '../i18n.js';
import {parseScan} from '../tags.js';
import {startScanner, hasCameraApi, decodePhoto} from '../scanner.js';
import {openDevice} from '../tag-source.js';

export function ScanScreen({ctx}) {
  const video = useRef(null);
  const scanner = useRef(null);
  const [state, setState] = useState(hasCameraApi() ? 'starting' : 'nocamera'); // starting | ready | denied | nocamera
  const [torch, setTorch] = useState(false);
  const [message, setMessage] = useState(null);

  function accept(text, source = 'camera') {
    const result = parseScan(text);
    // replace, not push: 返回 from the device must leave the scanner, whose camera would read the label again
    if (result.tag) { openDevice(ctx, result.tag, source, {replace: true}); return true; }
    setMessage(t(result.error, {text: result.text}));
    return false;
  }

  // A layout effect: the camera and decoder are taken as soon as the <video> exists, not a frame later
  // (useEffect waits for the next paint, which on a slow phone is tens of milliseconds).
  useLayoutEffect(() => {
    if (!hasCameraApi()) return undefined;
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
    ${state === 'denied' || state === 'nocamera' ? html`
      <div class="xj-banner xj-banner-warn" role="alert">${t(state === 'denied' ? 'camera_denied' : 'no_camera')}</div>
      <${PhotoScan} onText=${accept} onMiss=${() => setMessage(t('photo_no_code'))} />` : html`
      <video ref=${video} class="xj-video" playsinline muted aria-label=${t('scan_title')}></video>
      <p class="xj-section" role="status">${state === 'ready' ? t('scan_ready') : t('scan_starting')}</p>
      ${scanner.current?.hasTorch ? html`<button class="weui-btn weui-btn_default xj-btn" onClick=${toggleTorch}>${torch ? t('torch_off') : t('torch_on')}</button>` : null}`}
    ${message ? html`<p class="xj-section xj-error" role="alert" data-testid="scan-message">${message}</p>` : null}
    <${ManualTagEntry} onSubmit=${(text) => accept(text, 'typed')} />
  </div>`;
}

/** A photo of the label (the system camera app through <input capture>), decoded like a frame. */
function PhotoScan({onText, onMiss}) {
  const [busy, setBusy] = useState(false);
  const onChange = async (e) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same label photographed again must fire again
    if (!file) return;
    setBusy(true);
    try {
      const text = await decodePhoto(file);
      if (text) onText(text); else onMiss(); // a foreign code: onText names it
    } catch { onMiss(); } finally { setBusy(false); }
  };
  return html`<label class="weui-btn weui-btn_primary xj-btn" data-testid="scan-photo-button" style="position:relative">
    ${busy ? t('photo_reading') : t('photo_scan')}
    <input type="file" accept="image/*" capture="environment" data-testid="scan-photo" onChange=${onChange}
      style="position:absolute;inset:0;opacity:0;width:100%;height:100%;cursor:pointer" disabled=${busy} />
  </label>`;
}
