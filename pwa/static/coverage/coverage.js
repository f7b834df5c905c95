// Coverage page: tile map, per-site table, detail lists, planner. Plain ES module, no build, no CDN.
import { TEXT } from "./i18n.js";
import { createPage, errorHtml, esc, getLang, label, latestOnly, startPage } from "../supervisor/page.js";

const { state, t, api, client } = createPage(TEXT, { map: null, table: null, selected: null, list: null });
const app = document.getElementById("app");
const shortName = (name) => name.replace("医疗保障局", "").replace(/(布依族苗族|苗族侗族)自治州$/, "州");

function currentQuarter() {
  const now = new Date();
  return `${now.getFullYear()}Q${Math.floor(now.getMonth() / 3) + 1}`;
}

function query() {
  const form = document.querySelector("form.controls");
  const params = new URLSearchParams();
  for (const name of ["quarter", "prefecture", "county", "device_type"]) {
    const value = form?.elements[name]?.value.trim();
    if (value) params.set(name, value);
  }
  if (!params.has("quarter")) params.set("quarter", firstQuery().get("quarter"));
  return params;
}

/** The quarter a link asked for (/coverage?quarter=2025Q1, e.g. from the assessment), else this one. */
function firstQuery() {
  const asked = new URLSearchParams(location.search).get("quarter");
  return new URLSearchParams({ quarter: /^\d{4}[Qq][1-4]$/.test(asked || "") ? asked.toUpperCase() : currentQuarter() });
}

function renderShell() {
  const q = state.lastQuery || firstQuery();
  const prefectures = state.map ? Object.entries(state.map.prefectures) : [];
  const options = prefectures.map(([code, name]) => `<option value="${esc(code)}" ${q.get("prefecture") === code ? "selected" : ""}>${esc(shortName(name))}</option>`).join("");
  app.innerHTML = `
    <form class="controls">
      <label>${t("quarter")}<input name="quarter" value="${esc(q.get("quarter"))}" size="7" pattern="\\d{4}[Qq][1-4]"></label>
      <label>${t("prefecture")}<select name="prefecture"><option value="">${t("all")}</option>${options}</select></label>
      <label>${t("county")}<input name="county" value="${esc(q.get("county") || "")}" size="7"></label>
      <label>${t("device_type")}<input name="device_type" value="${esc(q.get("device_type") || "")}" size="5" placeholder="L07"></label>
      <button class="primary">${t("show")}</button>
      <a id="csv" href="#">CSV</a> <a id="xlsx" href="#">XLSX</a>
    </form>
    <p class="error" id="error"></p>
    <div class="cards" id="cards"></div>
    <div class="layout">
      <div><div class="mapbox"><div class="tiles" id="tiles"></div></div><div class="legend" id="legend"></div>
        <p class="hint">${t("tiles_hint")}</p></div>
      <div class="panel" id="site"><p>${t("click_tile")}</p></div>
    </div>
    <section><h2>${t("sites")}</h2><div class="scroll" id="table"></div></section>
    <section><h2>${t("lists")}</h2><div class="tabs" id="tabs"></div><div class="scroll" id="list"></div></section>
    ${["supervisor", "admin"].includes(state.user.role) ? plannerHtml() : ""}`;
  document.querySelector("form.controls").addEventListener("submit", (event) => { event.preventDefault(); load(); });
  if (document.getElementById("planner")) bindPlanner();
  load();
}

const startLoad = latestOnly();

/** Show the chosen period and filters. Only the latest load draws: an answer to an earlier
 *  choice that arrives late must not replace what was asked for since. */
async function load() {
  const current = startLoad();
  const params = query();
  state.lastQuery = params;
  document.getElementById("csv").href = `/api/v1/coverage/export.csv?${params}`;
  document.getElementById("xlsx").href = `/api/v1/coverage/export.xlsx?${params}`;
  document.getElementById("error").innerHTML = "";
  try {
    const [map, table] = await Promise.all([api(`/api/v1/coverage/map?${params}`), api(`/api/v1/coverage?${params}`)]);
    if (!current()) return;
    const firstMap = !state.map;
    state.map = map;
    state.table = table;
    if (firstMap) { renderShell(); return; }  // fill the prefecture list once it is known
    renderCards(table.summary);
    renderTiles(map);
    renderTable(table.sites);
    renderTabs();
  } catch (error) {
    if (!current()) return;
    if (error.status === 401) return renderLogin();
    document.getElementById("error").innerHTML = errorHtml(error);
  }
}

function renderCards(summary) {
  const keys = ["bureaus", "planned", "visited", "planned_visited", "planned_not_visited", "visited_unplanned",
                "expected_at_visited", "inspected", "missing", "unexpected", "failed_items", "overdue"];
  document.getElementById("cards").innerHTML = keys.map((key) =>
    `<div class="card" data-key="${key}"><b>${esc(summary[key])}</b><span>${t(key)}</span></div>`).join("");
}

function renderTiles(map) {
  const box = document.getElementById("tiles");
  box.style.gridTemplateColumns = `repeat(${map.width}, minmax(18px, 1fr))`;
  const groupColour = (code) => `hsl(${[...code].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) % 360} 70% 35%)`;
  box.innerHTML = map.tiles.map((tile) => `
    <button class="tile ${tile.tier !== "county" ? "seat" : ""}" type="button" data-code="${esc(tile.code)}"
      data-state="${esc(tile.state)}" title="${esc(tile.name)} · ${esc(label("coverage_state", tile.state))}">
      ${esc(shortName(tile.name).slice(0, 3))}</button>`).join("");
  // Places and colours go through the CSSOM: the page's CSP allows no style="" attributes.
  box.querySelectorAll(".tile").forEach((el, i) => {
    const tile = map.tiles[i];
    Object.assign(el.style, {gridColumn: String(tile.x + 1), gridRow: String(tile.y + 1),
                             background: tile.colour, borderColor: groupColour(tile.prefecture)});
    el.addEventListener("click", () => showSite(el.dataset.code));
  });
  const legend = Object.entries(map.legend);
  const legendBox = document.getElementById("legend");
  legendBox.innerHTML = legend.map(([key]) =>
    `<span><i></i>${esc(label("coverage_state", key))} (${map.tiles.filter((x) => x.state === key).length})</span>`).join("");
  legendBox.querySelectorAll("i").forEach((el, i) => { el.style.background = legend[i][1]; });
}

async function showSite(code) {
  state.selected = code;
  document.querySelectorAll(".tile").forEach((el) => el.classList.toggle("selected", el.dataset.code === code));
  const panel = document.getElementById("site");
  panel.innerHTML = `<p>${t("loading")}</p>`;
  try {
    const site = await api(`/api/v1/coverage/sites/${encodeURIComponent(code)}?quarter=${encodeURIComponent(state.lastQuery.get("quarter"))}`);
    const name = getLang() === "en" ? "type_name_en" : "type_name_zh";
    const rows = site.devices.map((d) => `<tr><td>${esc(d.tag)}</td><td>${esc(d[name])}</td><td>${esc(d.room)}</td>
      <td>${d.inspected_in_period ? t("yes") : t("no")}</td>
      <td class="${d.last_inspection ? esc(d.last_inspection.outcome) : ""}">${d.last_inspection ? esc(d.last_inspection.at.slice(0, 10) + " " + label("outcome", d.last_inspection.outcome)) : t("never")}</td></tr>`).join("");
    panel.innerHTML = `<h2 id="site-name">${esc(site.name)} <small>${esc(site.code)}</small></h2>
      <p>${t("devices")}: ${site.devices.length} · ${t("last_visit")}: ${esc(site.visits[0]?.started_at?.slice(0, 10) || t("never"))}</p>
      <div class="scroll"><table><thead><tr><th>${t("tag")}</th><th>${t("type")}</th><th>${t("room")}</th><th>${t("in_period")}</th><th>${t("last_inspection")}</th></tr></thead>
      <tbody>${rows || `<tr><td colspan="5">${t("none")}</td></tr>`}</tbody></table></div>`;
  } catch (error) { panel.innerHTML = `<p class="error">${errorHtml(error)}</p>`; }
}

function table(columns, rows) {
  const head = columns.map(([key]) => `<th>${t(key)}</th>`).join("");
  const body = rows.map((row) => `<tr>${columns.map(([key, get]) => `<td>${esc(get ? get(row) : row[key])}</td>`).join("")}</tr>`).join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body || `<tr><td colspan="${columns.length}">${t("none")}</td></tr>`}</tbody></table>`;
}

function renderTable(sites) {
  const yes = (v) => (v ? t("yes") : "");
  document.getElementById("table").innerHTML = table([
    ["code"], ["name"], ["planned", (r) => yes(r.planned)], ["engineer"], ["visited", (r) => yes(r.visited)],
    ["last_visit", (r) => (r.last_visit || "").slice(0, 10)], ["expected"], ["inspected"], ["missing"],
    ["unexpected"], ["failed_items"], ["state", (r) => label("coverage_state", r.state)]], sites);
}

function renderTabs() {
  const names = ["missing", "unexpected", "failed", "never_inspected", "overdue"];
  const tabs = document.getElementById("tabs");
  tabs.innerHTML = names.map((n) => `<button type="button" data-list="${n}" aria-pressed="${state.list === n}">${t(n)}</button>`).join("");
  tabs.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => showList(b.dataset.list)));
  if (state.list) showList(state.list);
}

const PER_PAGE = 100;  // rows per page of a detail list ("never inspected" runs to thousands)

async function showList(name, page = 1) {
  state.list = name;
  document.querySelectorAll("#tabs button").forEach((b) => b.setAttribute("aria-pressed", b.dataset.list === name));
  const box = document.getElementById("list");
  if (name === "overdue") {
    box.innerHTML = table([["code"], ["name"], ["last_visit", (r) => (r.last_visit || t("never")).slice(0, 10)]], state.table.overdue);
    return;
  }
  box.innerHTML = t("loading");
  const result = await api(`/api/v1/coverage?${state.lastQuery}&include=${name}&page=${page}&per_page=${PER_PAGE}`);
  const data = { missing: result.missing_devices, unexpected: result.unexpected_devices, failed: result.failed,
                 never_inspected: result.never_inspected?.items }[name] || [];
  const columns = {
    missing: [["code", (r) => r.site_code], ["name", (r) => r.site_name], ["tag"], ["type", (r) => r.type_code], ["room"]],
    unexpected: [["code", (r) => r.site_code], ["tag"], ["registered_at", (r) => r.registered_site_name || "?"], ["at", (r) => r.started_at.slice(0, 10)]],
    failed: [["code", (r) => r.site_code], ["name", (r) => r.site_name], ["tag"], ["item", (r) => r.item_key], ["at", (r) => r.started_at.slice(0, 10)]],
    never_inspected: [["code", (r) => r.site_code], ["name", (r) => r.site_name], ["tag"], ["type", (r) => r.type_code], ["room"]],
  }[name];
  box.innerHTML = pager(result.list_totals[name], page) + table(columns, data);
  box.querySelectorAll("button[data-page]").forEach((b) => b.addEventListener("click", () => showList(name, Number(b.dataset.page))));
}

function pager(total, page) {
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  const first = total ? (page - 1) * PER_PAGE + 1 : 0;
  const info = t("page_info", { from: first, to: Math.min(total, page * PER_PAGE), total });
  const button = (to, word) => `<button type="button" data-page="${to}"${to < 1 || to > pages ? " disabled" : ""}>${t(word)}</button>`;
  return `<p class="pager">${info} ${pages > 1 ? button(page - 1, "prev_page") + button(page + 1, "next_page") : ""}</p>`;
}

function plannerHtml() {
  return `<section id="planner"><h2>${t("plan")}</h2>
    <form class="controls" id="plan-form">
      <label>${t("quarter")}<input name="period" value="${esc(state.lastQuery?.get("quarter") || currentQuarter())}" size="7"></label>
      <label>${t("size")}<input name="size" type="number" min="1" value="30"></label>
      <label>${t("seed")}<input name="seed" type="number" min="0"></label>
      <label><span><input name="replace" type="checkbox"> ${t("replace_plan")}</span></label>
      <button class="primary">${t("make_plan")}</button></form>
    <p class="error" id="plan-error"></p><div class="scroll" id="plan-entries"></div></section>`;
}

function bindPlanner() {
  document.getElementById("plan-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = { period: form.period.value.trim(), size: Number(form.size.value), replace: form.replace.checked };
    if (form.seed.value) body.seed = Number(form.seed.value);
    document.getElementById("plan-error").textContent = "";
    try {
      const plan = await api("/api/v1/plans", { method: "POST", body: JSON.stringify(body) });
      renderPlan(plan);
      load();
    } catch (error) { document.getElementById("plan-error").innerHTML = errorHtml(error); }
  });
  showExistingPlan();
}

async function showExistingPlan() {
  const period = state.lastQuery?.get("quarter") || currentQuarter();
  const plans = await api(`/api/v1/plans?kind=quarterly&period=${encodeURIComponent(period.toUpperCase())}`);
  if (plans.items.length) renderPlan(await api(`/api/v1/plans/${plans.items[0].id}`));
}

function renderPlan(plan) {
  const entries = plan.entries.filter((e) => e.state === "planned" || e.state === "replaced");
  const rows = entries.map((e) => `<tr class="${e.state}"><td>${e.position}</td><td>${esc(e.site_code)}</td><td>${esc(e.site_name)}</td>
    <td>${esc(e.engineer_name || "")}</td><td>${esc(label("plan_reason", e.reason_code))}</td><td>${e.state === "planned"
      ? `<button type="button" data-entry="${e.id}">${t("replace")}</button>` : `${esc(label("entry_state", e.state))}`}${e.replace_reason ? " · " + esc(e.replace_reason) : ""}</td></tr>`).join("");
  const box = document.getElementById("plan-entries");
  box.innerHTML = `<p>${esc(plan.period)} · ${t("seed")} ${esc(plan.seed)} · ${plan.size}</p>
    <table><thead><tr><th>#</th><th>${t("code")}</th><th>${t("name")}</th><th>${t("engineer")}</th><th>${t("reason_code")}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
  box.querySelectorAll("button[data-entry]").forEach((button) => button.addEventListener("click", async () => {
    const site = prompt(t("new_site"));
    if (!site) return;
    const reason = prompt(t("reason"));
    if (!reason || !reason.trim()) { document.getElementById("plan-error").textContent = t("reason_needed"); return; }
    try {
      await api(`/api/v1/plans/${plan.id}/entries/${button.dataset.entry}/replace`, { method: "POST",
        body: JSON.stringify({ site_code: site.trim(), reason }) });
      renderPlan(await api(`/api/v1/plans/${plan.id}`));
      load();
    } catch (error) { document.getElementById("plan-error").innerHTML = errorHtml(error); }
  }));
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell });
