/** A drawn signature on a <canvas> (finger or stylus); saved as a PNG in the photo store, so it
 *  is uploaded like an inspection photo and the record names it by its SHA-256. */
import {useRef, useEffect} from 'preact/hooks';
import {html} from '../ui.js';
import {t} from '../i18n.js';
import {keepPhoto} from '../photos.js';

const WIDTH = 600, HEIGHT = 200; // drawing pixels; the box is scaled to the screen's width

/** `pad` (the parent's useRef) gets {save()}: the stored photo's sha256, or null when nothing
 *  was drawn (the signature is optional). */
export function SignaturePad({pad}) {
  const canvas = useRef(null);
  const drawn = useRef(false);

  useEffect(() => {
    const c = canvas.current, g = c.getContext('2d');
    g.fillStyle = '#fff'; g.fillRect(0, 0, WIDTH, HEIGHT);
    g.lineWidth = 3; g.lineCap = 'round'; g.lineJoin = 'round'; g.strokeStyle = '#000';
    let last = null;
    const at = (e) => { const r = c.getBoundingClientRect(); return [(e.clientX - r.left) * WIDTH / r.width, (e.clientY - r.top) * HEIGHT / r.height]; };
    const down = (e) => { e.preventDefault(); c.setPointerCapture?.(e.pointerId); last = at(e); };
    const move = (e) => {
      if (!last) return;
      const next = at(e);
      g.beginPath(); g.moveTo(...last); g.lineTo(...next); g.stroke();
      last = next; drawn.current = true;
    };
    const up = () => { last = null; };
    c.addEventListener('pointerdown', down); c.addEventListener('pointermove', move);
    c.addEventListener('pointerup', up); c.addEventListener('pointercancel', up);
    return () => { c.removeEventListener('pointerdown', down); c.removeEventListener('pointermove', move); c.removeEventListener('pointerup', up); c.removeEventListener('pointercancel', up); };
  }, []);

  const clear = () => {
    const g = canvas.current.getContext('2d');
    g.fillStyle = '#fff'; g.fillRect(0, 0, WIDTH, HEIGHT); drawn.current = false;
  };
  pad.current = {
    save: async () => {
      if (!drawn.current) return null;
      const blob = await new Promise((ok, no) => canvas.current.toBlob((b) => (b ? ok(b) : no(new Error('encode failed'))), 'image/png'));
      return keepPhoto(await blob.arrayBuffer(), 'image/png');
    },
  };

  return html`<div data-testid="signature">
    <canvas ref=${canvas} width=${WIDTH} height=${HEIGHT} aria-label=${t('signature_hint')}
      style="width:100%;height:auto;border:1px solid #ccc;border-radius:4px;touch-action:none;background:#fff"></canvas>
    <button type="button" class="weui-btn weui-btn_mini weui-btn_default xj-btn" onClick=${clear}>${t('signature_clear')}</button>
  </div>`;
}
