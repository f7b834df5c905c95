/** One device as a tappable row (type, tag) opening its device page: the visit lists and the summary's missing list. */
import {html} from '../ui.js';
import {pickName} from '../i18n.js';
import {openDevice} from '../tag-source.js';

export function DeviceRow({device, types, ctx, marker}) {
  const type = types.get(device.device_type_id ?? device.type_id);
  return html`<a class="xj-row" href=${`/d/${device.tag}`} onClick=${(e) => { e.preventDefault(); openDevice(ctx, device.tag, 'list'); }}
    style="text-decoration:none;color:inherit" data-testid=${marker} data-tag=${device.tag}>
    <span>${pickName(type) || '—'}<br/><span class="xj-muted">${device.tag}</span></span><span aria-hidden="true">›</span></a>`;
}
