// The create/change form of a meeting (supervisors, admins): kind and platform, host site and
// room, participants (all bureaus, a prefecture's, or a list with speaking flags), times,
// engineers (only active ones), the major-event flag, notes; and a refusal with the fields named.
import { esc, getLang, label, t } from "../supervisor/page.js";
import { describeError } from "../core/api.js";
import { hasText, pickName } from "../core/i18n.js";
import { fromLocal, localInput } from "./calendar.js";

export const KINDS = ["provincial_video", "major", "software", "other_av", "prefecture_assist", "relocation"];
const PLATFORMS = ["tencent_meeting", "dingtalk", "wecom", "other"];
const SCOPES = ["all", "prefecture", "list"];

const options = (values, words, blank = null) => [
  ...(blank === null ? [] : [`<option value="">${esc(blank)}</option>`]),
  ...values.map(([v, text]) => `<option value="${esc(v)}">${esc(text ?? words(v))}</option>`)].join("");

/** The form's HTML for these bureaus (sorted by code) and engineers. */
export function formHtml(bureaus, engineers) {
  const prefectures = bureaus.filter((s) => s.tier === "prefecture");
  const siteRows = bureaus.map((s) => `<tr data-site-row="${esc(s.code)}" data-search="${esc(`${s.code} ${pickName(s)}`)}">
    <td><input type="checkbox" name="site" value="${esc(s.code)}" aria-label="${esc(t("take_part_of", { name: pickName(s) }))}"></td>
    <td><input type="checkbox" name="speaking" value="${esc(s.code)}" aria-label="${esc(t("speaks_of", { name: pickName(s) }))}"></td>
    <td>${esc(s.code)}</td><td>${esc(pickName(s))}</td></tr>`).join("");
  const people = engineers.length ? engineers.map((e) => `<label class="check"><input type="checkbox" name="engineer"
    value="${e.id}"> ${esc(e.name)}</label>`).join("") : `<span class="muted">${esc(t("no_engineers"))}</span>`;
  return `<form id="meeting-form" novalidate>
    <h2 id="form-title">${esc(t("new_meeting"))}</h2>
    <div class="grid">
      <label data-field="title">${esc(t("f_title"))}<input name="title" maxlength="200" required></label>
      <label data-field="kind">${esc(t("f_kind"))}<select name="kind">${options(KINDS.map((k) => [k]), (k) => label("meeting_kind", k))}</select></label>
      <label data-field="platform" id="platform-field" hidden>${esc(t("f_platform"))}<select name="platform">${options(
        PLATFORMS.map((p) => [p]), (p) => label("meeting_platform", p), t("choose"))}</select></label>
      <label data-field="host_site_code">${esc(t("f_host_site_code"))}<select name="host_site_code" required>${options(
        bureaus.map((s) => [s.code, `${pickName(s)} (${s.code})`]), null, t("choose"))}</select></label>
      <label data-field="host_room_id">${esc(t("f_host_room_id"))}<select name="host_room_id"><option value="">${esc(t("no_room"))}</option></select></label>
      <label data-field="starts_at">${esc(t("f_starts_at"))}<input name="starts_at" type="datetime-local" required></label>
      <label data-field="ends_at">${esc(t("f_ends_at"))}<input name="ends_at" type="datetime-local" required></label>
    </div>
    <fieldset data-field="site_scope"><legend>${esc(t("f_site_scope"))}</legend>
      ${SCOPES.map((s) => `<label class="check"><input type="radio" name="site_scope" value="${s}"${s === "list" ? " checked" : ""}> ${esc(t(`scope_${s}`))}</label>`).join("")}
      <label data-field="prefecture_code" id="prefecture-field" hidden>${esc(t("f_prefecture_code"))}<select name="prefecture_code">${options(
        prefectures.map((s) => [s.prefecture_code, pickName(s)]), null, t("choose"))}</select></label>
    </fieldset>
    <fieldset data-field="site_codes"><legend>${esc(t("f_site_codes"))} · ${esc(t("f_speaking_codes"))}</legend>
      <label>${esc(t("site_search"))}<input type="search" id="site-search"></label> <span id="site-count" aria-live="polite"></span>
      <div class="scroll sites"><table><thead><tr><th>${esc(t("take_part"))}</th><th>${esc(t("speaks"))}</th>
        <th>${esc(t("code"))}</th><th>${esc(t("name"))}</th></tr></thead><tbody>${siteRows}</tbody></table></div>
    </fieldset>
    <fieldset data-field="engineer_ids"><legend>${esc(t("f_engineer_ids"))}</legend>${people}</fieldset>
    <label class="check" data-field="major_event"><input type="checkbox" name="major_event"> ${esc(t("f_major_event"))}</label>
    <label data-field="notes">${esc(t("f_notes"))}<textarea name="notes" rows="2" maxlength="4000"></textarea></label>
    <p><button type="submit" class="primary">${esc(t("save"))}</button> <button type="button" id="start-new" hidden>${esc(t("start_new"))}</button></p>
    <div class="error" id="form-error" role="alert"></div></form>`;
}

/** Show or hide what depends on the kind and the scope; count the chosen sites. */
export function syncForm(form) {
  form.querySelector("#platform-field").hidden = form.kind.value !== "software";
  const scope = form.site_scope.value;
  form.querySelector("#prefecture-field").hidden = scope !== "prefecture";
  form.querySelectorAll("input[name=site]").forEach((box) => { box.disabled = scope !== "list"; });
  const n = form.querySelectorAll("input[name=site]:checked").length;
  const m = form.querySelectorAll("input[name=speaking]:checked").length;
  form.querySelector("#site-count").textContent = scope === "list" ? t("chosen", { n, m }) : "";
}

/** Fill the host room choice from the host site's rooms. */
export function setRooms(form, rooms, chosen = null) {
  form.host_room_id.innerHTML = `<option value="">${esc(t("no_room"))}</option>${rooms.map((r) =>
    `<option value="${r.id}"${r.id === chosen ? " selected" : ""}>${esc(r.name)} (${esc(label("room_kind", r.kind))})</option>`).join("")}`;
}

const checked = (form, name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((b) => b.value);

/** The JSON body the API takes (POST or PATCH: every field, so a change is checked whole). */
export function formJson(form) {
  const scope = form.site_scope.value;
  const json = {
    title: form.title.value.trim(), kind: form.kind.value, platform: form.kind.value === "software" ? form.platform.value || null : null,
    host_site_code: form.host_site_code.value, host_room_id: form.host_room_id.value ? Number(form.host_room_id.value) : null,
    starts_at: fromLocal(form.starts_at.value), ends_at: fromLocal(form.ends_at.value), site_scope: scope,
    prefecture_code: scope === "prefecture" ? form.prefecture_code.value || null : null,
    speaking_codes: checked(form, "speaking"), engineer_ids: checked(form, "engineer").map(Number),
    major_event: form.major_event.checked, notes: form.notes.value.trim() || null,
  };
  if (scope === "list") json.site_codes = checked(form, "site");
  for (const key of ["title", "host_site_code", "starts_at", "ends_at"]) if (!json[key]) delete json[key];
  return json;
}

/** Put a meeting (GET /meetings/<id>) into the form for changing. */
export function fillForm(form, meeting) {
  form.title.value = meeting.title;
  form.kind.value = meeting.kind;
  form.platform.value = meeting.platform || "";
  form.host_site_code.value = meeting.host_site_code;
  form.starts_at.value = localInput(meeting.starts_at);
  form.ends_at.value = localInput(meeting.ends_at);
  form.major_event.checked = meeting.major_event;
  form.notes.value = meeting.notes || "";
  form.site_scope.value = "list";
  const codes = new Set(meeting.sites.map((s) => s.code));
  const talking = new Set(meeting.sites.filter((s) => s.speaking).map((s) => s.code));
  form.querySelectorAll("input[name=site]").forEach((b) => { b.checked = codes.has(b.value); });
  form.querySelectorAll("input[name=speaking]").forEach((b) => { b.checked = talking.has(b.value); });
  const ids = new Set(meeting.engineers.map((e) => String(e.id)));
  form.querySelectorAll("input[name=engineer]").forEach((b) => { b.checked = ids.has(b.value); });
}

/** The fields a 422 names ({json: {field: [...]}}, or the form's own {field: [...]}). */
function namedFields(error) {
  const errors = error.fieldErrors || {};
  return Object.keys(errors.json || errors.files || errors).filter((k) => !["json", "files", "rows"].includes(k));
}

/** A refusal in the user's language: the code's words, then each field named with why; the
 *  server's prose as a detail (open in English). Marks the fields aria-invalid; HTML. */
export function refusalHtml(error, form = null) {
  const { text, detail } = describeError(error);
  const fields = namedFields(error);
  form?.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  const items = fields.map((f) => {
    const control = form?.querySelector(`[data-field="${f}"] input, [data-field="${f}"] select, [data-field="${f}"] textarea`);
    control?.setAttribute("aria-invalid", "true");
    const why = hasText(`why_${f}`) ? t(`why_${f}`) : t("why_other");
    return `<li data-error-field="${esc(f)}"><b>${esc(hasText(`f_${f}`) ? t(`f_${f}`) : f)}</b>${getLang() === "en" ? ": " : "："}${esc(why)}</li>`;
  }).join("");
  const more = detail && detail !== text ? `<details class="detail"${getLang() === "en" ? " open" : ""}>
    <summary>${esc(t("details"))}</summary><code>${esc(detail)}</code></details>` : "";
  return `<p>${esc(t("refused"))}${esc(text)}</p>${items ? `<ul>${items}</ul>` : ""}${more}`;
}
