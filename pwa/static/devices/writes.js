// The office device page's writes, drawn only for supervisors and admins (the server enforces the
// roles): edit, move to a room with a reason, retire, re-tag and print the label; on /devices,
// register a new one. A refusal is shown on its form, the field named in the user's language
// (core/dict/errors.js says why by code_name; the server's English is a collapsed detail).
import { esc, getLang, describeError } from "../supervisor/page.js";
import { codeText } from "../core/api.js";
import { hasText, pickName } from "../core/i18n.js";

const GENERIC = new Set(["invalid", "unprocessable_entity", "conflict", "bad_request"]);
let sitesCache = null;

/** An API refusal in words: "field: why" for each field it names, else the code's text. */
export function refusal(t, error) {
  const { text, detail } = describeError(error);
  const errors = error?.fieldErrors || {};
  const fields = errors.json || errors;
  const names = Object.keys(fields).filter((name) => name !== "_schema");
  if (!names.length) return { text, detail, names };
  const specific = error.codeName && !GENERIC.has(error.codeName) && hasText(`err_${error.codeName}`);
  const why = specific ? codeText(error.codeName) : t("checkField");
  return { text: names.map((name) => t("fieldIs", { field: t(`f_${name}`), why })).join(" "), detail, names };
}

function showRefusal(t, form, error) {
  const { text, detail, names } = refusal(t, error);
  const box = form.querySelector("[data-error]");
  box.textContent = text;
  if (detail && detail !== text) {
    const more = Object.assign(document.createElement("details"), { className: "detail", open: getLang() === "en" });
    more.append(Object.assign(document.createElement("summary"), { textContent: t("details") }),
                Object.assign(document.createElement("code"), { textContent: detail }));
    box.append(more);
  }
  box.hidden = false;
  form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
  const first = names.map((name) => form.elements[name]).find(Boolean);
  names.forEach((name) => form.elements[name]?.setAttribute?.("aria-invalid", "true"));
  first?.focus?.();
}

/** Submit handling for a write form: `send(form)` calls the API; refusals stay on the form. */
function onSubmit(t, form, send, signedOut) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const box = form.querySelector("[data-error]");
    box.hidden = true;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await send(form);
    } catch (error) {
      if (error.status === 401) signedOut(error); else showRefusal(t, form, error);
    } finally {
      button.disabled = false;
    }
  });
}

const field = (t, name, key, extra = "") =>
  `<label>${esc(t(key))} <input name="${name}" ${extra}></label>`;
const errorLine = '<p class="error" role="alert" data-error hidden></p>';
const text = (value) => (value.trim() === "" ? null : value.trim());

async function sites(api) {
  sitesCache ??= (await api("/api/v1/sites?per_page=500")).items;
  return sitesCache;
}

/** A site select that fills the room select of the same form (the site list fetched already). */
function roomPicker(t, api, form, all, { optional = false, current = null } = {}) {
  const siteSelect = form.elements.site;
  const roomSelect = form.elements.room_id;
  siteSelect.innerHTML = `<option value="">${esc(t("pickSite"))}</option>` + all.map((s) =>
    `<option value="${esc(s.code)}">${esc(s.name)}（${esc(s.code)}）</option>`).join("");
  const fill = async () => {
    const code = siteSelect.value;
    const rooms = code ? (await api(`/api/v1/sites/${encodeURIComponent(code)}`)).rooms : [];
    roomSelect.innerHTML = (optional || !code ? `<option value="">${esc(t(optional ? "noRoom" : "pickRoom"))}</option>` : "")
      + rooms.map((r) => `<option value="${r.id}"${r.id === current ? " disabled" : ""}>${esc(r.name)}</option>`).join("");
  };
  siteSelect.addEventListener("change", () => { fill().catch((error) => showRefusal(t, form, error)); });
  fill();  // no site chosen yet: the room select is filled at once, nothing fetched
}

async function typeOptions(api, selected = "") {
  const types = await api("/api/v1/device-types");
  // A retired type is offered no more, except as the current type of the device being edited.
  return types.filter((d) => !d.retired || d.code === selected).map((d) => `<option value="${esc(d.code)}"${d.code === selected ? " selected" : ""}>`
    + `${esc(pickName(d))} ${esc(d.model || "")}（${esc(d.code)}）</option>`).join("");
}

/** The manager's forms under the device's details; `done(message, newTag?)` reloads the page.
 *  Everything is fetched first, so a form is never shown before its handler is attached. */
export async function drawWrites({ box, device, t, api, client, done, signedOut }) {
  const retired = device.status === "retired";
  const [types, all, templates] = await Promise.all([
    typeOptions(api, device.type.code), sites(api), api("/api/v1/labels/templates")]);
  box.innerHTML = `<section data-testid="device-writes"><h2>${esc(t("edit"))}</h2>
    <form id="edit">${field(t, "serial", "serial", `maxlength="64" value="${esc(device.serial || "")}"`)}
      <label>${esc(t("type"))} <select name="type_code">${types}</select></label>
      ${field(t, "install_date", "installed", `type="date" value="${esc(device.install_date || "")}"`)}
      ${field(t, "notes", "notes", `maxlength="500" value="${esc(device.notes || "")}"`)}
      <button type="submit" class="primary">${esc(t("save"))}</button>${errorLine}</form></section>
    ${retired ? `<section><p class="hint" data-testid="retired-note">${esc(t("retiredNote"))}</p></section>` : `
    <section><h2>${esc(t("move"))}</h2><form id="move">
      <label>${esc(t("site"))} <select name="site"></select></label>
      <label>${esc(t("room"))} <select name="room_id" required></select></label>
      ${field(t, "reason", "reason", 'required maxlength="256"')}
      <button type="submit" class="primary">${esc(t("moveIt"))}</button>${errorLine}</form></section>
    <section><h2>${esc(t("retire"))}</h2><p class="hint">${esc(t("retireHint"))}</p><form id="retire">
      ${field(t, "reason", "reason", 'required maxlength="256"')}
      <button type="submit">${esc(t("retireIt"))}</button>${errorLine}</form></section>`}
    <section><h2>${esc(t("label"))}</h2><form id="print-label">
      <label>${esc(t("template"))} <select name="template"></select></label>
      <button type="submit" class="primary">${esc(t("printPdf"))}</button>
      <a href="/labels">${esc(t("labelsPage"))}</a>${errorLine}</form>
      <form id="retag">${field(t, "reason", "retagReason", 'required maxlength="256"')}
      <button type="submit">${esc(t("retagIt"))}</button>${errorLine}</form></section>`;
  const path = `/api/v1/devices/${encodeURIComponent(device.tag)}`;
  const $ = (selector) => box.querySelector(selector);
  onSubmit(t, $("#edit"), async (form) => {
    await api(path, { method: "PATCH", json: { serial: text(form.serial.value), type_code: form.type_code.value,
      install_date: form.install_date.value || null, notes: text(form.notes.value) } });
    done(t("saved"));
  }, signedOut);
  if (!retired) {
    roomPicker(t, api, $("#move"), all, { current: device.room?.id ?? null });
    onSubmit(t, $("#move"), async (form) => {
      await api(`${path}/move`, { method: "POST",
        json: { room_id: Number(form.room_id.value) || null, reason: form.reason.value } });
      done(t("moved"));
    }, signedOut);
    onSubmit(t, $("#retire"), async (form) => {
      await api(`${path}/retire`, { method: "POST", json: { reason: form.reason.value } });
      done(t("retired"));
    }, signedOut);
  }
  $("#print-label").template.innerHTML = templates.map((tpl) =>
    `<option value="${esc(tpl.name)}">${esc(tpl.name)}</option>`).join("");
  onSubmit(t, $("#print-label"), async (form) => {
    const response = await client.send("POST", "/api/v1/labels/print", { json: { template: form.template.value,
      tags: [device.tag] }, headers: { Accept: "application/json, application/pdf" } });
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement("a"), { href: url, download: `label-${device.tag}.pdf` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }, signedOut);
  onSubmit(t, $("#retag"), async (form) => {
    const answer = await api(`${path}/retag`, { method: "POST", json: { reason: form.reason.value } });
    done(t("retagged", { tag: answer.current_tag }), answer.current_tag);
  }, signedOut);
}

/** /devices for a manager: register a device (no tag: one is issued), then open its page. */
export async function drawCreate({ box, t, api, signedOut }) {
  const [types, all] = await Promise.all([typeOptions(api), sites(api)]);
  box.innerHTML = `<section data-testid="device-create"><h2>${esc(t("create"))}</h2><form id="create">
    <label>${esc(t("type"))} <select name="type_code" required>${types}</select></label>
    ${field(t, "tag", "tag", `maxlength="16" autocomplete="off" placeholder="${esc(t("tagAuto"))}"`)}
    ${field(t, "serial", "serial", 'maxlength="64" autocomplete="off"')}
    <label>${esc(t("site"))} <select name="site"></select></label>
    <label>${esc(t("room"))} <select name="room_id"></select></label>
    ${field(t, "install_date", "installed", 'type="date"')}${field(t, "notes", "notes", 'maxlength="500"')}
    <button type="submit" class="primary">${esc(t("createIt"))}</button>${errorLine}</form></section>`;
  const form = box.querySelector("#create");
  roomPicker(t, api, form, all, { optional: true });
  onSubmit(t, form, async () => {
    const json = { type_code: form.type_code.value, tag: text(form.tag.value), serial: text(form.serial.value),
      room_id: Number(form.room_id.value) || null, install_date: form.install_date.value || null,
      notes: text(form.notes.value) };
    if (!json.tag) delete json.tag;
    const device = await api("/api/v1/devices", { method: "POST", json });
    location.assign(`/devices/${encodeURIComponent(device.tag)}`);
  }, signedOut);
}
