// A meeting's change history and a notice import's bad rows, in words: field names, enum labels,
// site codes as names, engineers by name; row/column/reason of each problem the server found.
import { esc, label, t } from "../supervisor/page.js";
import { hasText, pickName } from "../core/i18n.js";
import { when } from "./calendar.js";

const ENUM_FIELDS = { kind: "meeting_kind", platform: "meeting_platform", state: "meeting_state" };

function valueText(field, value, names) {
  if (value == null || value === "" || (Array.isArray(value) && !value.length)) return "—";
  if (ENUM_FIELDS[field]) return label(ENUM_FIELDS[field], value);
  if (field === "starts_at" || field === "ends_at") return when(value);
  if (typeof value === "boolean") return value ? t("major_yes") : t("major_no");
  if (field === "host_site") return names.sites.get(value) ?? value;
  if (field === "sites" || field === "speaking") return value.map((c) => names.sites.get(c) ?? c).join("、");
  if (field === "engineer_ids") return value.map((id) => names.people.get(id) ?? `#${id}`).join("、");
  if (field === "host_room_id") return names.rooms.get(value) ?? `#${value}`;
  return Array.isArray(value) ? value.join("、") : String(value);
}

/** The revisions as a table: version, action, who, when, each field old → new. */
export function historyHtml(items, bureaus, meeting) {
  const names = {
    sites: new Map(bureaus.map((s) => [s.code, pickName(s)])),
    people: new Map(meeting.engineers.map((e) => [e.id, e.name])),
    rooms: new Map(meeting.host_room_id ? [[meeting.host_room_id, meeting.host_room_name]] : []),
  };
  const rows = items.map((r) => {
    const changes = Object.entries(r.changes || {}).map(([field, change]) => {
      const fieldName = hasText(`f_${field}`) ? t(`f_${field}`) : field;
      const text = r.action === "created" || change.old == null
        ? valueText(field, change.new, names)
        : `${valueText(field, change.old, names)} → ${valueText(field, change.new, names)}`;
      return `<div data-change="${esc(field)}"><b>${esc(fieldName)}</b>: ${esc(text)}</div>`;
    }).join("");
    return `<tr data-version="${r.version}"><td>${r.version}</td><td>${esc(t(`${r.action}_a`))}</td><td>${esc(r.user_name || "—")}</td>
      <td>${esc(when(r.changed_at))}</td><td class="wrap">${changes}</td></tr>`;
  }).join("");
  return `<table><thead><tr><th>${esc(t("version"))}</th><th>${esc(t("action"))}</th><th>${esc(t("by"))}</th>
    <th>${esc(t("changed_at"))}</th><th>${esc(t("changes"))}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A row's problem in words: its code (core/dict/errors.js, row_<code>) with its parameters. */
function rowReason(row) {
  return hasText(`row_${row.code}`) ? t(`row_${row.code}`, row.params || {}) : t("row_other");
}

/** A refused notice: each bad row as row / column / reason; the server's words as a detail. */
export function importErrorsHtml(rows) {
  const body = rows.map((r) => `<tr data-bad-row="${r.row}"><td>${r.row}</td><td>${esc(hasText(`col_${r.column}`) ? t(`col_${r.column}`) : r.column)}</td>
    <td>${esc(rowReason(r))}</td></tr>`).join("");
  return `<p>${esc(t("import_rows"))}</p><table id="import-errors"><thead><tr><th>${esc(t("row"))}</th><th>${esc(t("column"))}</th>
    <th>${esc(t("reason"))}</th></tr></thead><tbody>${body}</tbody></table>`;
}
