// The review page's panels as HTML strings (every value escaped): conflicts side by side, flagged
// swaps, the records with a clock warning or a required photo missing, and set-aside records.
import { esc, getLang, label, t } from "../supervisor/page.js";
import { codeText, hasText, pickName, presenceText, reasonText } from "../core/index.js";

const TIME_FIELDS = new Set(["client_time", "started_at", "finished_at"]);
const CODE_FIELDS = new Set(["tag", "visit_uuid", "site_code", "fault_uuid", "supersedes"]);
const ENUM_FIELDS = { inspection_kind: "inspection_kind", severity: "severity", step: "fault_step",
  tag_source: "tag_source", faulty_tag_source: "tag_source", spare_tag_source: "tag_source" };

export const when = (iso) => (iso ? new Date(iso).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN", { timeZone: "Asia/Shanghai" }) : "—");

/** A length of time in words: seconds, minutes, or hours and minutes. */
export function duration(seconds) {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return t("seconds", { n: s });
  const minutes = Math.round(s / 60);
  return minutes < 60 ? t("minutes", { n: minutes }) : t("hours", { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** phone - server, as "fast 20 min" / "slow 20 min". */
export function skewText(seconds) {
  if (!seconds) return t("skew_zero");
  return t(seconds > 0 ? "skew_ahead" : "skew_behind", { d: duration(seconds) });
}

const person = (user) => esc(user ? user.display_name || user.username : "—");
const fieldName = (name) => (hasText(`f_${name}`) ? esc(t(`f_${name}`)) : `<code>${esc(name)}</code>`);

/** One envelope or data field's value in words. */
function fieldValue(name, value) {
  if (value == null || value === "") return esc(t("not_recorded"));
  if (TIME_FIELDS.has(name)) return esc(when(value));
  if (name === "position") {
    const accuracy = value.accuracy == null ? "" : ` ${t("accuracy", { n: Math.round(value.accuracy) })}`;
    return esc(`${Number(value.lat).toFixed(5)}, ${Number(value.lon).toFixed(5)}${accuracy}`);
  }
  if (name === "photos" && Array.isArray(value)) return esc(t("photos_n", { n: value.length }));
  if (ENUM_FIELDS[name]) return esc(label(ENUM_FIELDS[name], value));
  if (CODE_FIELDS.has(name)) return `<code>${esc(value)}</code>`;
  if (typeof value === "object") return `<code>${esc(JSON.stringify(value))}</code>`;
  return esc(String(value));
}

/** One checklist answer: its outcome's label, the value (with the item's unit), the reason, note, photos. */
function answerText(answer, unit) {
  if (!answer) return esc(t("item_missing"));
  const parts = [];
  if (answer.outcome) parts.push(esc(label("outcome", answer.outcome)));
  if (typeof answer.value === "number") parts.push(esc(`${answer.value}${unit ? ` ${unit}` : ""}`));
  else if (answer.value != null && !["pass", "fail", "na"].includes(answer.value)) parts.push(`“${esc(answer.value)}”`);
  if (answer.reason && hasText(`r_${answer.reason}`)) parts.push(esc(t(`r_${answer.reason}`)));
  if (answer.note) parts.push(esc(t("value_note", { text: answer.note })));
  if (answer.photos?.length) parts.push(esc(t("photos_n", { n: answer.photos.length })));
  return parts.join(" · ") || esc(t("not_recorded"));
}

const itemName = (row) => esc(pickName(row, "label") || row.key);

function versionRows(versions) {
  const fields = versions.fields.map((r) => ({ name: fieldName(r.field), server: fieldValue(r.field, r.server),
    phone: fieldValue(r.field, r.phone), differs: r.differs, key: `field:${r.field}` }));
  const items = versions.items.map((r) => ({ name: itemName(r), server: answerText(r.server, r.unit),
    phone: answerText(r.phone, r.unit), differs: r.differs, key: `item:${r.key}` }));
  return [...fields, ...items];
}

function versionsTable(conflict, rows) {
  const other = conflict.versions.kind === "other";
  const body = rows.map((r) => `<tr data-row="${esc(r.key)}"${r.differs ? ' class="differs" data-differs="1"' : ""}>
      <th scope="row">${r.name}</th><td>${other ? "—" : r.server}</td><td>${r.phone}</td>
      <td>${r.differs ? `<span class="mark">${esc(t("differs"))}</span>` : esc(other ? "" : t("same"))}</td></tr>`).join("");
  return `<div class="scroll"><table class="versions"><caption class="muted">${esc(t("conflict"))} #${conflict.id}</caption>
    <thead><tr><th scope="col">${esc(t("field"))}</th><th scope="col">${esc(t("server_side"))}</th>
    <th scope="col">${esc(t("phone_side"))}</th><th scope="col"><span class="muted">${esc(t("differs"))}?</span></th></tr></thead>
    <tbody>${body}</tbody></table></div>`;
}

/** The differences as sentences: "Notes — server: (not recorded); phone: lens scratched". */
function differenceList(rows) {
  const differing = rows.filter((r) => r.differs);
  if (!differing.length) return `<p class="muted">${esc(t("no_difference"))}</p>`;
  return `<p>${esc(t("n_differences", { n: differing.length }))}</p><ul class="diff-list" data-testid="differences">
    ${differing.map((r) => `<li><b>${r.name}</b> — ${t("server_was", { a: r.server, b: r.phone })}</li>`).join("")}</ul>`;
}

export function conflictHtml(c) {
  const rows = versionRows(c.versions);
  const original = c.original || {};
  const data = c.payload?.data || {};
  const heading = [esc(label("record_type", c.record_type)), data.tag ? `${esc(t("device"))} <code>${esc(data.tag)}</code>` : "",
    c.versions.template ? `${esc(t("template"))} ${esc(pickName(c.versions.template))}` : ""].filter(Boolean).join(" · ");
  return `<article class="conflict" data-conflict="${c.id}" aria-labelledby="conflict-${c.id}">
    <h3 id="conflict-${c.id}">${esc(t("conflict"))} #${c.id} · ${heading}</h3>
    <p data-testid="server-meta"><b>${esc(t("server_side"))}</b>: ${esc(t("by"))} ${person(original.user)} · ${esc(t("device_clock"))} ${esc(when(original.client_time))}
      · ${esc(t("server_clock"))} ${esc(when(original.server_time))} · ${esc(t("skew"))} ${esc(skewText(original.clock_skew_seconds))}</p>
    <p data-testid="phone-meta"><b>${esc(t("phone_side"))}</b>: ${esc(t("by"))} ${person(c.user)} · ${esc(t("device_clock"))} ${esc(when(c.client_time))}
      · ${esc(t("server_clock"))} ${esc(when(c.received_at))}</p>
    ${c.versions.kind === "other" ? `<p class="muted">${esc(t("unknown_side"))}</p>` : differenceList(rows)}
    ${versionsTable(c, rows)}
    <form class="inline" data-resolve="${c.id}"><label>${esc(t("note"))}<input name="note" maxlength="2000"></label>
      <button type="button" class="primary" data-resolution="accepted">${esc(t("accept"))}</button>
      <button type="button" data-resolution="dismissed">${esc(t("dismiss"))}</button></form>
    <p class="error" role="alert"></p></article>`;
}

export function swapHtml(s) {
  const flags = (s.flags || []).map((f) => reasonText("flag", f.code, f.params)).join(" ");
  return `<div class="swap" data-swap="${s.id}">
    <p><b>#${s.id}</b> ${esc(t("faulty"))} <code>${esc(s.faulty.tag)}</code> → ${esc(t("spare_unit"))} <code>${esc(s.spare.tag)}</code>
      · ${esc(t("swapped_at"))} ${esc(when(s.swapped_at))}${s.fault_id ? ` · ${esc(t("fault"))} #${s.fault_id}` : ""}</p>
    <p class="error" data-testid="swap-flags">${esc(t("flag_review"))} ${esc(flags)}</p>
    <form class="inline"><label>${esc(t("swap_note"))}<input name="note" maxlength="4000"></label>
      <button type="button" class="primary" data-action="apply">${esc(t("apply"))}</button>
      <button type="button" data-action="dismiss">${esc(t("swap_dismiss"))}</button></form>
    <p class="error" role="alert"></p></div>`;
}

export function recordsHtml(kind, items) {
  if (!items.length) return `<p class="muted">${esc(t("none"))}</p>`;
  const last = { clock: t("skew"), chain: t("chain_gap"), presence: t("presence") }[kind] || t("missing_items");
  const rows = items.map((i) => {
    const detail = kind === "clock" ? esc(skewText(i.clock_skew_seconds))
      : kind === "chain" ? esc(t("chain_gap_detail"))
      : kind === "presence" ? esc(`${presenceText(i.presence)} · ${t("tag_source_is", { source: label("tag_source", i.tag_source || "unknown") })}`)
      : i.no_photo_items.map((item) => itemName(item)).join("、");
    const pending = i.missing_photos.length ? ` · ${esc(t("not_uploaded", { n: i.missing_photos.length }))}` : "";
    return `<tr data-record="${esc(i.uuid)}"><td>${esc(when(i.server_time))}</td>
      <td><a href="/devices/${encodeURIComponent(i.tag)}" aria-label="${esc(t("open_device"))} ${esc(i.tag)}"><code>${esc(i.tag)}</code></a></td>
      <td>${esc(i.site ? `${i.site.name} (${i.site.code})` : "—")}</td><td>${person(i.user)}</td>
      <td>${esc(label("inspection_kind", i.inspection_kind))} · ${esc(label("outcome", i.outcome))}</td>
      <td>${esc(when(i.client_time))}</td><td class="wrap">${detail}${pending}</td></tr>`;
  }).join("");
  return `<div class="scroll"><table><thead><tr><th>${esc(t("at"))}</th><th>${esc(t("tag"))}</th><th>${esc(t("site"))}</th>
    <th>${esc(t("engineer"))}</th><th>${esc(t("outcome"))}</th><th>${esc(t("device_clock"))}</th><th>${esc(last)}</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

/** Records set aside on a phone: who, when, the record's kind and tag, the refusal in words, the
 *  engineer's reason; the record itself as a collapsed list of its fields. */
export function setAsideHtml(items) {
  const rows = items.map((a) => {
    const data = a.record?.data || {};
    const fields = Object.entries(data).filter(([, v]) => v != null && v !== "" && !(Array.isArray(v) && !v.length))
      .map(([k, v]) => `<li>${fieldName(k)}: ${k === "results" && Array.isArray(v) ? esc(t("n_items", { n: v.length })) : fieldValue(k, v)}</li>`).join("");
    return `<tr data-set-aside="${esc(a.record_uuid)}"><td>${esc(when(a.created_at))}</td><td>${person(a.user)}</td>
      <td>${esc(label("record_type", a.record_type))}${a.tag ? ` <code>${esc(a.tag)}</code>` : ""}</td>
      <td>${esc(a.code ? codeText(a.code) : "—")}</td><td class="wrap" data-testid="set-aside-reason">${esc(a.reason)}</td>
      <td><details><summary>${esc(t("record_content"))}</summary><ul>${fields}</ul></details></td></tr>`;
  }).join("");
  return `<div class="scroll"><table><thead><tr><th>${esc(t("set_aside_at"))}</th><th>${esc(t("engineer"))}</th>
    <th>${esc(t("record"))}</th><th>${esc(t("refusal"))}</th><th>${esc(t("set_aside_reason"))}</th><th>${esc(t("record_content"))}</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

/** Phones whose unsent records vanished before reaching the server (GET /review/phones). */
export function lostHtml(items) {
  const rows = items.map((p) => `<tr data-phone="${esc(p.phone_id)}">
      <td data-testid="lost-line"><b>${esc(t("lost_line", { n: p.never_arrived }))}</b></td>
      <td>${person(p.user)}</td><td><code>${esc(p.phone_id)}</code></td>
      <td>${esc(when(p.reported_at))}</td></tr>`).join("");
  return `<div class="scroll"><table><thead><tr><th>${esc(t("q_lost"))}</th><th>${esc(t("lost_user"))}</th>
    <th>${esc(t("lost_phone"))}</th><th>${esc(t("lost_reported"))}</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}
