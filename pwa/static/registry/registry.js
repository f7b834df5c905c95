// The registry page (/registry): search devices, sites and device types; supervisors and admins
// create sites, rooms and device types, rename rooms, retire or delete an unused type; everyone else reads. Every call goes
// through /api/v1, which enforces the roles; errors are shown in the user's language.
import { createPage, esc, label, messageLine, startPage } from "../supervisor/page.js";
import { pickName } from "../core/i18n.js";
import { STATUSES, bulkHtml, selectCell, wireBulk } from "./bulk.js";
import { importHtml, wireImport } from "./import.js";
import { sitePanel } from "./site.js";

const TIERS = ["province", "prefecture", "county", "store"];
const KINDS = ["display", "camera", "audio", "network", "video_conference", "power", "recording", "platform", "generic"];
const TEXT = {
  "zh-CN": {
    title: "登记", devices: "设备", sites: "单位", types: "设备类型", search: "搜索", code: "代码", name: "名称",
    tier: "级别", region: "行政区划代码", address: "地址", rooms: "机房", addRoom: "添加机房", room: "机房名称",
    createSite: "新建单位", createType: "新建设备类型", kind: "种类", nameZh: "中文名称", nameEn: "英文名称",
    model: "型号", maker: "厂家", tag: "标签", serial: "序列号", status: "状态", site: "所在单位",
    saved: "已保存。", readOnly: "只读：您的角色只能查看。", none: "没有结果。", any: "全部", select: "选择", actions: "操作",
    deleteType: "删除", retireType: "停用", unretireType: "恢复使用", retired: "已停用", deleted: "已删除设备类型 {code}。",
  },
  en: {
    title: "Registry", devices: "Devices", sites: "Sites", types: "Device types", search: "Search", code: "Code",
    name: "Name", tier: "Tier", region: "Region code", address: "Address", rooms: "Rooms", addRoom: "Add room",
    room: "Room name", createSite: "Create site", createType: "Create device type", kind: "Kind",
    nameZh: "Chinese name", nameEn: "English name", model: "Model", maker: "Manufacturer", tag: "Tag",
    serial: "Serial", status: "Status", site: "Site", saved: "Saved.", readOnly: "Read only: your role may only view.",
    none: "Nothing found.", any: "Any", select: "Select", actions: "Actions", deleteType: "Delete", retireType: "Retire",
    unretireType: "Use again", retired: "retired", deleted: "Device type {code} deleted.",
  },
};
const { state, t, api, client } = createPage(TEXT);
const app = document.getElementById("app");
const { say, report } = messageLine(t, () => renderLogin());
const manager = () => ["supervisor", "admin"].includes(state.user.role);
const showSite = sitePanel({ app, api, say, report, manager });
const input = (name, key, extra = "") => `<label>${esc(t(key))} <input name="${name}" ${extra}></label>`;
const options = (group, values) => values.map((v) => `<option value="${v}">${esc(label(group, v))}</option>`).join("");
const table = (id, heads) => `<div class="scroll"><table id="${id}"><thead><tr>${heads.map((h) =>
  `<th>${esc(t(h))}</th>`).join("")}</tr></thead><tbody></tbody></table></div>`;
const rows = (items, cells) => items.length ? items.map((item) =>
  `<tr>${cells(item).map((c) => `<td>${c}</td>`).join("")}</tr>`).join("") : `<tr><td colspan="6">${esc(t("none"))}</td></tr>`;
const anyOption = () => `<option value="">${esc(t("any"))}</option>`;
let refreshBulk = () => {};
const formJson = (form) => Object.fromEntries([...new FormData(form)].filter(([, v]) => v !== "")
  .map(([k, v]) => [k, k === "contract_line" ? Number(v) : v]));

function renderShell() {
  say("");
  document.querySelector("h1").textContent = t("title");
  app.innerHTML = `${manager() ? "" : `<p class="hint" data-testid="read-only">${esc(t("readOnly"))}</p>`}
    <section><h2>${esc(t("devices"))}</h2><form id="find-devices">${input("q", "search", 'type="search"')}
      <label>${esc(t("status"))} <select name="status">${anyOption()}${options("device_status", STATUSES)}</select></label>
      <label>${esc(t("types"))} <select name="type" id="type-filter">${anyOption()}</select></label>
      <button type="submit">${esc(t("search"))}</button></form>
      ${table("device-list", [...(manager() ? ["select"] : []), "tag", "serial", "status", "site"])}
      ${manager() ? bulkHtml() : ""}</section>
    ${manager() ? importHtml() : ""}
    <section><h2>${esc(t("sites"))}</h2><form id="find-sites">${input("q", "search", 'type="search"')}
      <button type="submit">${esc(t("search"))}</button></form>${table("site-list", ["code", "name", "tier", "rooms"])}
      <div id="site-rooms"></div>
      ${manager() ? `<h3>${esc(t("createSite"))}</h3><form id="create-site">${input("code", "code", "required")}
        ${input("name", "name", "required")}<label>${esc(t("tier"))} <select name="tier">${options("site_tier", TIERS)}</select></label>
        ${input("region_code", "region", "required")}${input("address", "address")}
        <button type="submit" class="primary">${esc(t("createSite"))}</button></form>` : ""}</section>
    <section><h2>${esc(t("types"))}</h2>${table("type-list", ["code", "kind", "name", "model", "maker", ...(manager() ? ["actions"] : [])])}
      ${manager() ? `<h3>${esc(t("createType"))}</h3><form id="create-type">${input("code", "code", "required")}
        <label>${esc(t("kind"))} <select name="kind">${options("device_kind", KINDS)}</select></label>
        ${input("name_zh", "nameZh", "required")}${input("name_en", "nameEn", "required")}${input("model", "model")}
        ${input("manufacturer", "maker")}<button type="submit" class="primary">${esc(t("createType"))}</button></form>` : ""}</section>`;
  const on = (id, handler) => app.querySelector(id)?.addEventListener("submit", (event) => {
    event.preventDefault();
    handler(event.target).catch(report);
  });
  on("#find-devices", (form) => loadDevices(form));
  on("#find-sites", (form) => loadSites(form.q.value));
  on("#create-site", async (form) => {
    const site = await api("/api/v1/sites", { method: "POST", json: formJson(form) });
    form.reset();
    say(t("saved"), true);
    await loadSites(site.code);
    await showSite(site.code);
  });
  on("#create-type", async (form) => {
    await api("/api/v1/device-types", { method: "POST", json: formJson(form) });
    form.reset();
    say(t("saved"), true);
    await loadTypes();
  });
  const reloadDevices = () => loadDevices(app.querySelector("#find-devices"));
  wireImport(app, client, { report, onImported: reloadDevices });
  refreshBulk = wireBulk(app, api, { report, say, onChanged: reloadDevices });
  loadSiteNames().then(() => Promise.all([reloadDevices(), loadSites(""), loadTypes()])).catch(report);
}

const siteNames = new Map();

/** Every site's name by id, for the device list's site column. */
async function loadSiteNames() {
  const page = await api("/api/v1/sites?per_page=500");
  for (const site of page.items) siteNames.set(site.id, site.name);
}

/** The first 50 devices matching the search form's text, status and type. */
async function loadDevices(form) {
  const query = new URLSearchParams({ per_page: "50" });
  for (const name of ["q", "status", "type"]) if (form[name].value) query.set(name, form[name].value);
  const page = await api(`/api/v1/devices?${query}`);
  const body = app.querySelector("#device-list tbody");
  body.innerHTML = rows(page.items, (d) => [...(manager() ? [selectCell(d.tag)] : []),
    `<a href="/devices/${encodeURIComponent(d.tag)}">${esc(d.tag)}</a>`, esc(d.serial || "—"),
    esc(label("device_status", d.status)), esc(d.site_id ? siteNames.get(d.site_id) || String(d.site_id) : "—")]);
  body.querySelectorAll("[data-bulk-tag]").forEach((box) => box.addEventListener("change", () => refreshBulk()));
  refreshBulk();
}

async function loadSites(q) {
  const page = await api(`/api/v1/sites?per_page=100${q ? `&q=${encodeURIComponent(q)}` : ""}`);
  const body = app.querySelector("#site-list tbody");
  body.innerHTML = rows(page.items, (s) => [esc(s.code), esc(s.name), esc(label("site_tier", s.tier)),
    `<button type="button" data-site="${esc(s.code)}">${esc(t("rooms"))}</button>`]);
  body.querySelectorAll("[data-site]").forEach((b) => b.addEventListener("click", () => showSite(b.dataset.site).catch(report)));
}

/** A manager's buttons on a type: retire (or use again) and delete (refused while units use it). */
const typeButtons = (d) => `<button type="button" data-retire-type="${esc(d.code)}" data-retired="${d.retired}">${
  esc(t(d.retired ? "unretireType" : "retireType"))}</button> <button type="button" data-delete-type="${esc(d.code)}">${esc(t("deleteType"))}</button>`;

async function loadTypes() {
  const types = await api("/api/v1/device-types");
  app.querySelector("#type-filter").innerHTML = anyOption() + types
    .map((d) => `<option value="${esc(d.code)}">${esc(pickName(d))}</option>`).join("");
  const body = app.querySelector("#type-list tbody");
  body.innerHTML = rows(types, (d) => [esc(d.code), esc(label("device_kind", d.kind)),
    `${esc(pickName(d))}${d.retired ? ` <span class="muted" data-testid="type-retired">（${esc(t("retired"))}）</span>` : ""}`,
    esc(d.model || "—"), esc(d.manufacturer || "—"), ...(manager() ? [typeButtons(d)] : [])]);
  body.querySelectorAll("[data-delete-type]").forEach((b) => b.addEventListener("click", () => deleteType(b.dataset.deleteType).catch(report)));
  body.querySelectorAll("[data-retire-type]").forEach((b) => b.addEventListener("click", () =>
    retireType(b.dataset.retireType, b.dataset.retired !== "true").catch(report)));
}

async function deleteType(code) {
  await api(`/api/v1/device-types/${encodeURIComponent(code)}`, { method: "DELETE" });
  say(t("deleted").replace("{code}", code), true);
  await loadTypes();
}

async function retireType(code, retired) {
  await api(`/api/v1/device-types/${encodeURIComponent(code)}`, { method: "PATCH", json: { retired } });
  say(t("saved"), true);
  await loadTypes();
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell, page: "registry" });
