/** Photo picker with thumbnails (checklist, fault report). */
import {useState, useEffect} from 'preact/hooks';
import {html, toast} from '../ui.js';
import {t} from '../i18n.js';
import {addPhoto, photoUrl} from '../photos.js';
import {errorText} from '../../core/api.js';

export function Thumb({sha}) {
  const [url, setUrl] = useState(null);
  useEffect(() => { let u; photoUrl(sha).then((x) => { u = x; setUrl(x); }); return () => u && URL.revokeObjectURL(u); }, [sha]);
  return url ? html`<img src=${url} alt=${sha.slice(0, 8)} />` : null;
}

export function PhotoPicker({photos, onAdd}) {
  const [busy, setBusy] = useState(false);
  const pick = async (e) => {
    const files = [...e.target.files];
    e.target.value = '';
    setBusy(true);
    try { for (const f of files) onAdd(await addPhoto(f)); } catch (err) { toast(t('photo_failed', {msg: errorText(err)})); } finally { setBusy(false); }
  };
  return html`<div>
    <label class="weui-btn weui-btn_mini weui-btn_default xj-btn" style="display:inline-flex;align-items:center">
      ${t('add_photo')}${busy ? '…' : ''}
      <input type="file" accept="image/*" capture="environment" multiple hidden onChange=${pick} data-testid="photo-input" />
    </label>
    <div class="xj-thumbs">${photos.map((sha) => html`<${Thumb} key=${sha} sha=${sha} />`)}</div>
  </div>`;
}
