// One meeting's timeline on the office page: every event (revisions, due checks, arrival, site
// confirmations with who confirmed, the pre-meeting visit, joint tests, incidents and the fault
// each became, usage registers) in time order, with the phone's and the server's clocks and the
// records' flags (an incident outside the meeting's hours, a maker not assigned) in words.
import { esc, label, t } from "../supervisor/page.js";
import { reasonText } from "../core/index.js";
import { when } from "./calendar.js";

const RESULTS = ["sound", "picture", "pc_content"];
const FLAG_TIMES = ["started_at"];  // instants in flag params, shown in China time

function site(d) { return d.site_name || (d.site_id != null ? `#${d.site_id}` : "—"); }

function noted(text, note) { return note ? `${text}${t("tl_note", { note })}` : text; }

/** What happened, in words (HTML: an incident's fault is a link to the faults page). */
function whatHtml(e) {
  const d = e.details || {};
  switch (e.kind) {
    case "meeting_created": case "meeting_updated": case "meeting_cancelled":
      return esc(t(`tl_${e.kind}`, { version: d.version }));
    case "meeting_starts": case "meeting_ends": case "arrival":
      return esc(t(`tl_${e.kind}`));
    case "check_due":
      return esc(t("tl_check_due", { check: label("check_kind", d.check), subject: d.subject, state: label("check_state", d.state) }));
    case "check_done":
      return esc(t("tl_check_done", { check: label("check_kind", d.check), subject: d.subject }));
    case "site_confirmation":
      return esc(noted(t("tl_site_confirmation", { site: site(d), by: d.confirmed_by || t("tl_nobody") }), d.note));
    case "joint_test": {
      const parts = RESULTS.map((r) => `${t(`jt_${r}`)} ${label("jt_result", d[r])}`).join(t("tl_sep"));
      return esc(noted(t("tl_joint_test", { site: site(d), parts }), d.note));
    }
    case "pre_meeting_visit":
      return esc(d.finished_at ? t("tl_visit_done", { site: site(d), finished: when(d.finished_at), n: d.inspections })
        : t("tl_visit_open", { site: site(d) }));
    case "incident": {
      const text = esc(t("tl_incident", { site: site(d), kind: label("incident_kind", d.incident_kind),
        minutes: d.duration_min ?? "—", action: d.action || "—" }));
      return d.fault_id ? `${text} <a data-fault-link="${d.fault_id}" href="/faults?fault=${d.fault_id}">${esc(t("tl_fault", { id: d.fault_id }))}</a>` : text;
    }
    case "usage_register":
      return esc(t(d.current ? "tl_register_current" : "tl_register_old", { n: d.recordings ?? 0 }));
    default:
      return esc(t("tl_other"));
  }
}

function flagsHtml(flags) {
  return (flags || []).map((f) => {
    const params = { ...(f.params || {}) };
    FLAG_TIMES.forEach((k) => { if (params[k]) params[k] = when(params[k]); });
    return `<div class="error" data-flag="${esc(f.code)}">${esc(reasonText("flag", f.code, params))}</div>`;
  }).join("");
}

/** The timeline's table (`items` as GET /meetings/<id>/timeline answers them) and the register link. */
export function timelineHtml(meetingId, items) {
  const rows = items.map((e) => `<tr data-event="${esc(e.kind)}"${e.record_id != null ? ` data-record="${e.record_id}"` : ""}${e.flags?.length ? ' class="flagged"' : ""}>
    <td>${esc(when(e.at))}</td><td class="wrap">${whatHtml(e)}</td><td>${esc(e.user_name || "—")}</td>
    <td>${esc(when(e.recorded_at) || "—")}</td><td>${esc(when(e.received_at) || "—")}</td><td class="wrap">${flagsHtml(e.flags)}</td></tr>`).join("");
  const table = items.length ? `<table id="timeline-table"><caption>${esc(t("tl_caption"))}</caption><thead><tr>
    <th scope="col">${esc(t("tl_at"))}</th><th scope="col">${esc(t("tl_what"))}</th><th scope="col">${esc(t("tl_who"))}</th>
    <th scope="col">${esc(t("tl_recorded"))}</th><th scope="col">${esc(t("tl_received"))}</th><th scope="col">${esc(t("tl_flags"))}</th></tr></thead>
    <tbody>${rows}</tbody></table>` : `<p class="muted">${esc(t("tl_empty"))}</p>`;
  return `<p><a id="timeline-register-pdf" href="/api/v1/meetings/${meetingId}/register.pdf" target="_blank" rel="noopener">${esc(t("tl_print_register"))}</a></p>
    <div class="scroll" tabindex="0" role="region" aria-label="${esc(t("tl_title"))}">${table}</div>`;
}
