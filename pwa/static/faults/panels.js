// Renders each panel of the faults page from API answers (HTML strings; every value escaped).
import { reasonText, duration, esc, getLang, label, presenceText, siteName, t, when } from "./api.js";
import { clockBadge, overBy } from "./clocks.js";

const CLOCKS = ["response", "work", "spare", "handling"];

export function statsHtml(stats) {
  const res = stats.resolution;
  const rate = res.rate == null ? t("no_rate") : `${(res.rate * 100).toFixed(1)}%`;
  const verdict = res.met == null ? "" : res.met ? t("target_met") : t("target_missed");
  const rateClass = res.met == null ? "" : res.met ? "ok" : "bad";
  const cards = [
    ["reported", res.reported, ""], ["resolved", res.resolved, ""],
    ["rate", rate, rateClass, `${t("target", { n: `${Math.round(res.target * 100)}%` })} · ${verdict}`],
    ["deduction", -Math.abs(stats.response_deduction_estimate || 0), stats.response_deduction_estimate ? "bad" : ""],
    ["breaches", CLOCKS.reduce((sum, name) => sum + (stats.clocks[name]?.breached || 0), 0), ""],
  ];
  return cards.map(([key, value, cls, extra]) =>
    `<div class="card ${cls}" data-key="${key}"><b>${esc(value)}</b><span>${t(key)}${extra ? ` · ${esc(extra)}` : ""}</span></div>`).join("");
}

export function breachesHtml(data) {
  const rows = [];
  for (const [kind, list] of [["breached", data.breached], ["about_to_breach", data.about_to_breach]]) {
    for (const fault of list) {
      for (const name of fault.clocks) {
        const clock = fault.clock_states[name];
        const amount = kind === "breached" ? `${t("over_by")} ${overBy(clock)}` : `${t("left")} ${duration(clock.remaining_seconds || 0)}`;
        rows.push(`<tr data-fault="${fault.id}" data-kind="${kind}"><td>#${fault.id} ${esc(fault.tag)}</td>
          <td>${esc(siteName(fault.site_id))}</td><td>${esc(label("clock", name))}</td>
          <td>${clockBadge(name, clock)}</td><td>${esc(amount)}</td></tr>`);
      }
    }
  }
  if (!rows.length) return `<p class="muted">${t("none")}</p>`;
  return `<table><thead><tr><th>${t("fault")}</th><th>${t("site")}</th><th>${t("clock")}</th><th>${t("state")}</th><th></th></tr></thead>
    <tbody>${rows.join("")}</tbody></table>`;
}

export function faultsHtml(items) {
  if (!items.length) return `<p class="muted">${t("none")}</p>`;
  const rows = items.map((f) => `<tr data-fault="${f.id}"><td><button type="button" class="link" data-open="${f.id}">#${f.id}</button></td><td>${esc(f.tag)}</td>
    <td>${esc(siteName(f.site_id))}</td><td>${esc(label("severity", f.severity))}</td><td>${f.urgent_meeting ? t("yes") : ""}</td>
    <td>${esc(label("fault_state", f.state))}</td><td>${esc(when(f.reported_at))}</td>
    ${CLOCKS.map((name) => `<td>${clockBadge(name, f.clocks[name])}</td>`).join("")}
    <td class="wrap" data-presence>${esc(presenceText(f.presence))}</td></tr>`).join("");
  return `<table><thead><tr><th>#</th><th>${t("tag")}</th><th>${t("site")}</th><th>${t("severity")}</th><th>${t("urgent")}</th>
    <th>${t("state")}</th><th>${t("reported_at")}</th>${CLOCKS.map((n) => `<th>${esc(label("clock", n))}</th>`).join("")}
    <th>${t("presence")}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function poolHtml(pool) {
  const low = new Set(pool.low_stock.map((row) => row.type_code));
  const warnings = pool.low_stock.map((row) =>
    `<p class="warn" data-low="${esc(row.type_code)}">${t("low_stock")}: ${esc(row.type_code)} ${esc(getLang() === "en" ? row.name_en : row.name_zh)} ${row.count} / ${row.min_count}</p>`).join("");
  const unplaced = pool.unplaced.length ? `<p class="warn">${t("unplaced")}: ${pool.unplaced.map(esc).join(", ")}</p>` : "";
  const rows = pool.types.flatMap((type) => type.places.map((place) =>
    `<tr data-type="${esc(type.type_code)}"><td>${esc(type.type_code)} ${esc(getLang() === "en" ? type.name_en : type.name_zh)}</td>
     <td>${esc(place.site_name || "-")}</td><td class="${low.has(type.type_code) ? "warn" : ""}">${place.count}</td>
     <td>${type.min_count ?? ""}</td><td class="wrap">${place.tags.map(esc).join(", ")}</td></tr>`)).join("");
  return `<p class="muted">${t("total")}: ${pool.total}</p>${warnings}${unplaced}
    <div class="scroll"><table><thead><tr><th>${t("type")}</th><th>${t("place")}</th><th>${t("count")}</th><th>${t("min")}</th><th>${t("tag")}</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

/** How the phone got each unit's tag and the swap's presence flags (none: not a phone's swap). */
function swapPresence(s) {
  if (!s.presence) return "";
  const source = (value) => esc(label("tag_source", value || "unknown"));
  return `<p data-testid="swap-presence">${t("tag_source")}: ${t("faulty")} ${source(s.faulty_tag_source)} · ${t("spare_unit")}
    ${source(s.spare_tag_source)} · ${t("presence")}: ${esc(presenceText(s.presence))}</p>`;
}

export function swapsHtml(items) {
  if (!items.length) return `<p class="muted">${t("none")}</p>`;
  return items.map((s) => `<div class="swap" data-swap="${s.id}">
    <p><b>#${s.id}</b> ${t("faulty")} ${esc(s.faulty.tag)} → ${t("spare_unit")} ${esc(s.spare.tag)}
      · ${t("swapped_at")} ${esc(when(s.swapped_at))}${s.fault_id ? ` · ${t("fault")} #${s.fault_id}` : ""}</p>
    ${swapPresence(s)}<p class="error" data-testid="swap-flags">${t("flag_review")} ${esc((s.flags || []).map((f) => reasonText("flag", f.code, f.params)).join(" "))}</p>
    <form class="inline"><label>${t("note")}<input name="note" maxlength="4000"></label>
      <button type="button" class="primary" data-action="apply">${t("apply")}</button>
      <button type="button" data-action="dismiss">${t("dismiss")}</button></form></div>`).join("");
}

/** A note a person typed (a custody reason given with a device change): as is in English mode,
 *  a collapsed detail on a Chinese screen. Codes the server stores are put in words by reasonText. */
function proseDetail(text) {
  if (!text) return "";
  if (getLang() === "en") return ` <span class="prose">${esc(text)}</span>`;
  return ` <details class="detail"><summary>${t("details")}</summary><code lang="en">${esc(text)}</code></details>`;
}

function place(room) {
  return room ? `${room.site_name} ${room.name}` : "—";
}

export function custodyHtml(data) {
  const rows = data.events.map((e) => `<tr><td>${esc(when(e.at))}</td><td>${esc(place(e.from_room))}</td>
    <td>${esc(place(e.to_room))}</td><td>${esc(label("device_status", e.from_status) || "—")} → ${esc(label("device_status", e.to_status) || "—")}</td>
    <td>${esc(e.actor?.display_name || "")}</td><td class="wrap">${e.reason_code ? esc(reasonText("custody", e.reason_code, e.reason_params)) : proseDetail(e.reason)}</td></tr>`).join("");
  const faults = data.faults.length ? `<p>${t("unit_faults")}: ${data.faults.map((f) => `#${esc(f.id)} ${esc(label("fault_state", f.state))}`).join(", ")}</p>` : "";
  const repairs = data.repairs.length ? `<p>${t("repairs")}: ${data.repairs.length}</p>` : "";
  return `<p><b>${esc(data.tag)}</b> · ${t("status")} ${esc(label("device_status", data.status))}</p>${faults}${repairs}
    <div class="scroll"><table><thead><tr><th>${t("at")}</th><th>${t("from")}</th><th>${t("to")}</th><th>${t("status")}</th><th>${t("by")}</th><th>${t("why")}</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}
