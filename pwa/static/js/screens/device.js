/** Device page: what it is, where it belongs, its recent inspections and open faults, and the checklist button. */
import {useState, useEffect} from 'preact/hooks';
import {html, Section, StateBadge, formatTime} from '../ui.js';
import {t, label, pickName} from '../i18n.js';
import {get, all, deviceByTag, retiredAlias, getMeta, outboxRecords} from '../db.js';
import {parseScan} from '../tags.js';
import {openFaultsOf} from '../faults-local.js';
import {FaultList} from '../components/faults.js';
import {openRmaOf} from '../local/rma.js';
import {loadDevice} from '../local/devices.js';
import {tagSource, via} from '../tag-source.js';

export function DeviceScreen({params, ctx}) {
  const parsed = parseScan(params[0]);
  const tag = parsed.tag;
  const [info, setInfo] = useState(null);
  const [history, setHistory] = useState([]);
  const [faults, setFaults] = useState([]);
  const [visit, setVisit] = useState(null);
  const [rma, setRma] = useState(null);

  useEffect(() => {
    if (!tag) return;
    if (params[0] !== tag) { ctx.nav(`/d/${tag}`, {replace: true, state: history.state}); return; }
    (async () => {
      const loaded = await loadDevice(tag);
      setVisit(await getMeta('active_visit'));
      setInfo(loaded); // after the visit, so the "registered elsewhere" warning is there on first paint
      const id = loaded.device?.id;
      const packed = (await all('inspections')).filter((i) => i.tag === tag || (id != null && i.device_id === id));
      const mine = (await outboxRecords()).filter((r) => r.type === 'inspection' && r.data.tag === tag);
      const corrected = new Set(mine.map((r) => r.data.supersedes).filter(Boolean));
      const local = mine.map((r) => ({key: r.uuid, when: r.client_time, state: r.state,
        result: r.data.results.some((x) => x.value === 'fail') ? 'fail' : 'pass',
        corrected: corrected.has(r.uuid), correctable: !corrected.has(r.uuid) && ['waiting', 'sent'].includes(r.state)}));
      setHistory([...local.reverse(), ...packed.sort((a, b) => String(b.performed_at || b.created_at).localeCompare(a.performed_at || a.created_at))
        .slice(0, 5).map((i) => ({key: `p${i.id}`, when: i.performed_at || i.created_at, result: i.result || i.outcome, by: i.by || i.user}))]);
      setFaults(await openFaultsOf(tag, id));
      setRma(await openRmaOf(id));
    })();
  }, [tag]);

  if (!tag) return html`<p class="xj-section xj-error" role="alert">${t(parsed.error, {text: parsed.text})}</p>`;
  if (!info) return html`<p class="xj-section">${t('loading')}</p>`;
  const {device, type, site, room, replaced} = info;
  const elsewhere = visit && device && site && site.id !== visit.site_id;

  return html`<div data-testid="device" data-tag=${tag}>
    <${Section} title=${tag}>
      ${device ? html`
        <div class="xj-row"><span>${t('type')}</span><strong data-testid="device-type">${pickName(type) || '—'}</strong></div>
        <div class="xj-row"><span>${t('model')}</span><span>${device.model || type?.model || '—'}</span></div>
        <div class="xj-row"><span>${t('site')}</span><span>${site ? `${pickName(site)}` : '—'}</span></div>
        <div class="xj-row"><span>${t('room')}</span><span>${pickName(room) || '—'}</span></div>
        ${device.status ? html`<div class="xj-row"><span>${t('status')}</span><span>${label('device_status', device.status)}</span></div>` : null}
      ` : html`<p class="xj-warn" role="alert">${t('unknown_device', {tag})}</p>`}
      ${replaced ? html`<p class="xj-warn" role="alert" data-testid="replaced-label">${t('label_replaced', {tag: device.tag})}</p>` : null}
      ${elsewhere ? html`<p class="xj-error" role="alert">${t('elsewhere', {site: pickName(site)})}</p>` : null}
    <//>
    <div style="padding:0 16px"><button class="weui-btn weui-btn_primary xj-btn" onClick=${() => ctx.nav(`/d/${device?.tag || tag}/check`, {state: via(tagSource())})}>${t('start_check')}</button>
      <button class="weui-btn weui-btn_warn xj-btn" data-testid="report-fault" onClick=${() => ctx.nav(`/d/${device?.tag || tag}/fault`, {state: via(tagSource())})}>${t('report_fault')}</button>
      <button class="weui-btn weui-btn_default xj-btn" data-testid="swap-action" onClick=${() => ctx.nav('/swap')}>${t('swap_action')}</button></div>
    ${rma ? html`<${Section} title=${t('rma_title')}><div data-testid="rma-open" style="padding:0 16px">
      <p class="xj-muted">${t('rma_in_repair', {id: rma.id, vendor: rma.vendor || '—', sent: rma.sent_at ? formatTime(rma.sent_at) : '—'})}</p>
      <button class="weui-btn weui-btn_primary xj-btn" data-testid="rma-action" onClick=${() => ctx.nav(`/d/${tag}/rma`)}>${t('rma_return')}</button></div><//>` : null}
    ${faults.length ? html`<${Section} title=${t('open_faults')}><${FaultList} faults=${faults} ctx=${ctx} /><//>` : null}
    <${Section} title=${t('recent_inspections')}>
      ${history.length ? history.map((h) => html`<div class="xj-row" data-testid="history" data-uuid=${h.key}><span>${formatTime(h.when)}${h.by ? ` · ${h.by}` : ''}</span>
        <span>${h.result ? label('outcome', h.result) : ''} ${h.state ? html`<${StateBadge} state=${h.state} />` : null}
          ${h.corrected ? html`<span class="xj-muted">${t('corrected')}</span>` : null}
          ${h.correctable ? html`<button class="weui-btn weui-btn_mini weui-btn_default xj-btn" data-testid="correct"
            onClick=${() => ctx.nav(`/d/${tag}/correct/${h.key}`, {state: via(tagSource())})}>${t('correct')}</button>` : null}</span></div>`)
        : html`<p class="xj-muted">${t('no_inspections')}</p>`}
    <//>
  </div>`;
}
