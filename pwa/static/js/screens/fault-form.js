/** Report a fault on a device: severity, urgent-meeting flag, description and photos; saved to the outbox. */
import {useState} from 'preact/hooks';
import {html, Section, toast} from '../ui.js';
import {errorText} from '../../core/api.js';
import {t, label} from '../i18n.js';
import {parseScan} from '../tags.js';
import {addRecord, sync, newUuid, localIso} from '../outbox.js';
import {currentPosition} from '../geo.js';
import {PhotoPicker} from '../components/photos.js';
import {tagSource} from '../tag-source.js';

export const SEVERITIES = ['minor', 'major', 'critical'];

export function FaultFormScreen({params, ctx}) {
  const tag = parseScan(params[0]).tag;
  const [uuid] = useState(() => newUuid()); // fixed when the form opens: a double tap cannot make two faults
  const [reportedAt] = useState(() => localIso());
  const [source] = useState(tagSource); // how the device page got the tag (null: unknown)
  const [severity, setSeverity] = useState('major');
  const [urgent, setUrgent] = useState(false);
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState([]);
  const [error, setError] = useState(null);
  const [saving, setSaving] = useState(false);

  async function save(e) {
    e.preventDefault();
    if (!description.trim()) { setError(t('description_required')); return; }
    setSaving(true);
    try {
      await addRecord('fault', {tag, reported_at: reportedAt, severity, urgent_meeting: urgent,
        description: description.trim(), photos, source: 'field', ...(source ? {tag_source: source} : {})}, {position: currentPosition(), photos, uuid});
      toast(t('fault_saved'));
      if (navigator.onLine) sync();
      ctx.refreshCounts();
      ctx.nav(`/f/${uuid}`, {replace: true});
    } catch (err) {
      toast(t('save_failed', {msg: errorText(err)}));
      setSaving(false);
    }
  }

  return html`<form data-testid="fault-form" data-uuid=${uuid} onSubmit=${save}>
    <${Section} title=${`${t('report_fault')} · ${tag}`}>
      <fieldset class="xj-item" style="border:0;padding:0">
        <legend class="xj-label">${t('severity')}</legend>
        ${SEVERITIES.map((s) => html`<label class="weui-cell weui-check__label" style="display:flex;gap:8px;align-items:center;min-height:44px">
          <input type="radio" name="severity" value=${s} checked=${severity === s} onChange=${() => setSeverity(s)} />
          ${label('severity', s)}</label>`)}
      </fieldset>
      <label class="xj-item" style="display:flex;gap:8px;align-items:center;min-height:44px;font-weight:600">
        <input type="checkbox" data-testid="urgent" checked=${urgent} onChange=${(e) => setUrgent(e.target.checked)} />
        ${t('urgent_meeting')}</label>
      <div class="xj-item">
        <label class="xj-label" for="fault-description">${t('description')}</label>
        <textarea id="fault-description" class="xj-input" rows="4" aria-required="true"
          aria-invalid=${error ? 'true' : 'false'} value=${description}
          onInput=${(e) => { setDescription(e.target.value); setError(null); }}></textarea>
        ${error ? html`<p class="xj-error" role="alert">${error}</p>` : null}
      </div>
      <div class="xj-item">
        <span class="xj-label">${t('photos')}</span>
        <${PhotoPicker} photos=${photos} onAdd=${(sha) => setPhotos((p) => (p.includes(sha) ? p : [...p, sha]))} />
      </div>
      <button class="weui-btn weui-btn_primary xj-btn" type="submit" disabled=${saving}>${t('save_fault')}</button>
    <//>
  </form>`;
}
