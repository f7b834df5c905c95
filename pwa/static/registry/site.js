// One site on the registry page: its rooms, its coordinates and whether it is closed; for
// supervisors and admins: add a room, close a room, set the coordinates, close or reopen the
// site (a bureau that moved keeps its history; the server refuses while a unit stands there).
import { esc, label } from "../supervisor/page.js";
import { register, t } from "../core/i18n.js";

register({
  "zh-CN": {
    site_point: "坐标", site_no_point: "未设置坐标（地图用行政区划的位置）", site_lat: "纬度", site_lon: "经度",
    site_save_point: "保存坐标", site_closed: "已撤销：{reason}", site_close: "撤销单位", site_close_reason: "撤销原因",
    site_reopen: "恢复单位", room_closed: "已停用", room_close: "停用",
    site_point_hint: "WGS-84，例如 纬度 26.58、经度 106.71；两项同时填写或同时留空。",
    site_propose: "按到场定位建议坐标", site_proposed: "根据 {n} 次到场定位的中位数（离散约 {spread} 米），请核对后点“保存坐标”。",
    site_proposed_moved: "与现有坐标相距约 {m} 米。", site_propose_none: "还没有可用的到场定位（精度 200 米以内）。",
  },
  en: {
    site_point: "Coordinates", site_no_point: "No coordinates (the map uses the region's point)", site_lat: "Latitude",
    site_lon: "Longitude", site_save_point: "Save coordinates", site_closed: "Closed: {reason}", site_close: "Close the site",
    site_close_reason: "Why it closes", site_reopen: "Reopen the site", room_closed: "closed", room_close: "Close",
    site_point_hint: "WGS-84, e.g. latitude 26.58, longitude 106.71; both or neither.",
    site_propose: "Propose from visit positions", site_proposed: "Median of {n} visit positions (spread about {spread} m): check it, then Save coordinates.",
    site_proposed_moved: "About {m} m from the current point.", site_propose_none: "No usable visit position yet (accuracy within 200 m).",
  },
});

const field = (name, key, extra = "") => `<label>${esc(t(key))} <input name="${name}" ${extra}></label>`;
const number = (value) => (value === "" ? null : Number(value));

function roomsHtml(site, manager) {
  return site.rooms.map((r) => `<li data-room="${r.id}">${esc(r.name)} (${esc(label("room_kind", r.kind))})${
    r.closed_at ? ` <span class="badge">${esc(t("room_closed"))}</span>`
      : manager && !site.closed_at ? ` <button type="button" data-close-room="${r.id}">${esc(t("room_close"))}</button>` : ""}</li>`).join("");
}

function manageHtml(site) {
  if (site.closed_at) return `<p><button type="button" id="reopen-site">${esc(t("site_reopen"))}</button></p>`;
  return `<form id="add-room">${field("name", "room", "required")}<button type="submit">${esc(t("addRoom"))}</button></form>
    <form id="site-point"><p class="hint">${esc(t("site_point_hint"))}</p>
      ${field("lat", "site_lat", `type="number" step="any" value="${site.lat ?? ""}"`)}
      ${field("lon", "site_lon", `type="number" step="any" value="${site.lon ?? ""}"`)}
      <button type="submit">${esc(t("site_save_point"))}</button></form>
    <p><button type="button" id="propose-point">${esc(t("site_propose"))}</button>
      <span class="hint" id="proposed-point" aria-live="polite"></span></p>
    <form id="close-site">${field("reason", "site_close_reason", 'required maxlength="256"')}
      <button type="submit">${esc(t("site_close"))}</button></form>`;
}

/** Fill the point form with the median of the site's visit positions; saving stays the
 *  supervisor's act (the server only proposes, docs/evidence.md, Presence). */
async function propose(box, path, api) {
  const proposal = await api(`${path}/proposed-point`);
  const text = box.querySelector("#proposed-point");
  if (proposal.lat == null) { text.textContent = t("site_propose_none"); return; }
  const form = box.querySelector("#site-point");
  form.lat.value = proposal.lat;
  form.lon.value = proposal.lon;
  text.textContent = t("site_proposed", { n: proposal.records, spread: proposal.spread_m })
    + (proposal.moved_m != null ? ` ${t("site_proposed_moved", { m: proposal.moved_m })}` : "");
}

/** showSite(code): draw the site's panel into #site-rooms and wire its forms. */
export function sitePanel({ app, api, say, report, manager }) {
  async function showSite(code) {
    const path = `/api/v1/sites/${encodeURIComponent(code)}`;
    const site = await api(path);
    const box = app.querySelector("#site-rooms");
    const point = site.lat == null ? t("site_no_point") : `${site.lat}, ${site.lon}`;
    box.innerHTML = `<h3>${esc(site.name)} · ${esc(t("rooms"))}</h3>
      ${site.closed_at ? `<p class="badge" id="site-closed">${esc(t("site_closed", { reason: site.closed_reason || "" }))}</p>` : ""}
      <p>${esc(t("site_point"))}: <span id="site-point-text">${esc(point)}</span></p>
      <ul id="room-list">${roomsHtml(site, manager())}</ul>${manager() ? manageHtml(site) : ""}`;
    const act = (work) => work.then(() => { say(t("saved"), true); return showSite(code); }).catch(report);
    const on = (id, handler) => box.querySelector(id)?.addEventListener("submit", (event) => {
      event.preventDefault();
      act(handler(event.target));
    });
    on("#add-room", (form) => api(`${path}/rooms`, { method: "POST", json: { name: form.name.value } }));
    on("#site-point", (form) => api(path, { method: "PATCH", json: { lat: number(form.lat.value), lon: number(form.lon.value) } }));
    on("#close-site", (form) => api(`${path}/close`, { method: "POST", json: { reason: form.reason.value } }));
    box.querySelector("#propose-point")?.addEventListener("click", () => propose(box, path, api).catch(report));
    box.querySelector("#reopen-site")?.addEventListener("click", () => act(api(`${path}/reopen`, { method: "POST" })));
    box.querySelectorAll("[data-close-room]").forEach((button) => button.addEventListener("click",
      () => act(api(`${path}/rooms/${button.dataset.closeRoom}/close`, { method: "POST" }))));
  }
  return showSite;
}
