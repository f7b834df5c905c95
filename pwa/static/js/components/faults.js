/** A fault's four clocks (from the pack's SLA rules) and a short fault list (device, fault screens). */
import {html} from '../ui.js';
import {t, label} from '../i18n.js';
import {clocks, formatDuration} from '../sla.js';
import {slaRules} from '../db.js';

const CLOCK_ORDER = ['response', 'spare', 'handling', 'work'];

/** The four clocks of a fault, with remaining time; breached ones in red. */
export function FaultClocks({fault, now = Date.now()}) {
  const rules = slaRules();
  if (!rules) return null;  // a pack from before the server sent its rules: the next pull brings them
  const all = clocks(fault, now, rules);
  return html`<div data-testid="fault-clocks">${CLOCK_ORDER.map((name) => {
    const c = all[name];
    const left = c.remaining_seconds == null ? '' : formatDuration(c.remaining_seconds);
    const cls = c.state === 'breached' ? 'xj-error' : (c.state === 'about_to_breach' ? 'xj-warn' : '');
    return html`<div class="xj-row" data-clock=${name} data-state=${c.state}>
      <span>${label('clock', name)}</span><span class=${cls}>${t(`clk_${c.state}`, {left})}</span></div>`;
  })}</div>`;
}

/** A short list of faults (device page): state, clocks, link to the fault page. */
export function FaultList({faults, ctx}) {
  return html`<div data-testid="fault-list">${faults.map((f) => html`<div class="xj-item" data-testid="fault-row" data-uuid=${f.uuid} data-state=${f.state}>
    <a href=${`/f/${f.uuid}`} onClick=${(e) => { e.preventDefault(); ctx.nav(`/f/${f.uuid}`); }}>
      <strong>${label('fault_state', f.state)}</strong> · ${label('severity', f.severity)}${f.urgent_meeting ? ' · ⚑' : ''} — ${f.description}</a>
    ${f.local ? html` <span class="xj-muted">(${t('not_synced')})</span>` : null}
    <${FaultClocks} fault=${f} />
  </div>`)}</div>`;
}
