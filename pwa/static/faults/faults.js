// Faults page: month stats, breaches, fault clocks, one fault's timeline (steps and comments, read
// only), spare pool, flagged swaps, custody look-up.
import { api, client, errorHtml, esc, state, t, when } from "./api.js";
import { latestOnly, startPage } from "../supervisor/page.js";
import { timelineHtml } from "../desk/timeline.js";
import { breachesHtml, custodyHtml, faultsHtml, poolHtml, statsHtml, swapsHtml } from "./panels.js";

const app = document.getElementById("app");

function currentMonth() {
  const local = new Date(Date.now() + 8 * 3600 * 1000);  // months are cut in China Standard Time
  return local.toISOString().slice(0, 7);
}

/** A link to one fault (/faults?fault=12, e.g. from the assessment): its month, its row marked. */
async function followLink() {
  const id = new URLSearchParams(location.search).get("fault");
  if (state.linked !== undefined || !/^\d+$/.test(id || "")) return;
  state.linked = null;
  try {
    const fault = await api(`/api/v1/faults/${id}`);
    const local = new Date(new Date(fault.reported_at).getTime() + 8 * 3600 * 1000);
    state.linked = id;
    state.month = local.toISOString().slice(0, 7);
    document.querySelector("form.controls input[name=month]").value = state.month;
    load();
  } catch { /* no such fault: the current month stays */ }
}

function markLinked() {
  const row = state.linked && document.querySelector(`#faults tr[data-fault="${state.linked}"]`);
  if (!row) return;
  row.classList.add("linked");
  row.scrollIntoView({ block: "center" });
}

function renderShell() {
  state.month = state.month || currentMonth();
  app.innerHTML = `
    <form class="controls">
      <label>${t("month")}<input name="month" type="month" value="${esc(state.month)}" required></label>
      <button class="primary">${t("show")}</button>
    </form>
    <p class="error" id="error"></p>
    <div class="cards" id="stats"></div>
    <section><h2>${t("breaches")}</h2><div class="scroll" id="breaches"></div></section>
    <section><h2>${t("faults")}</h2><div class="scroll" id="faults"></div></section>
    <section id="fault-detail" hidden></section>
    <div class="layout">
      <section><h2>${t("pool")}</h2><div id="pool"></div></section>
      <section><h2>${t("flagged")}</h2><div id="swaps"></div></section>
    </div>
    <section id="custody"><h2>${t("custody")}</h2>
      <form class="inline" id="custody-form"><label>${t("tag")}<input name="tag" required autocapitalize="characters"></label>
        <button class="primary">${t("lookup")}</button></form>
      <div id="custody-result"><p class="muted">${t("custody_hint")}</p></div></section>`;
  document.querySelector("form.controls").addEventListener("submit", (event) => {
    event.preventDefault();
    state.month = event.target.month.value;
    load();
  });
  document.getElementById("custody-form").addEventListener("submit", lookUpCustody);
  document.getElementById("swaps").addEventListener("click", resolveSwap);
  document.getElementById("faults").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-open]");
    if (button) showTimeline(button.dataset.open);
  });
  load();
  followLink();
}

async function allFaults(month) {
  const items = [];
  for (let page = 1; ; page += 1) {
    const result = await api(`/api/v1/faults?month=${month}&per_page=500&page=${page}`);
    items.push(...result.items);
    if (items.length >= result.total || !result.items.length) return items;
  }
}

async function loadSites() {
  if (state.sites) return;
  const result = await api("/api/v1/sites?per_page=500");
  state.sites = new Map(result.items.map((site) => [site.id, site]));
}

const startLoad = latestOnly();

/** Show the chosen month. Only the latest load draws: an earlier one still under way (the
 *  first month shown, then another chosen) must not overwrite it, nor a note being typed. */
async function load() {
  const current = startLoad();
  const month = encodeURIComponent(state.month);
  document.getElementById("error").innerHTML = "";
  app.setAttribute("aria-busy", "true");
  try {
    await loadSites();
    const [stats, breaches, faults] = await Promise.all([
      api(`/api/v1/faults/stats?month=${month}`), api(`/api/v1/faults/breaches?month=${month}`), allFaults(month)]);
    if (!current()) return;
    document.getElementById("stats").innerHTML = statsHtml(stats);
    document.getElementById("breaches").innerHTML = breachesHtml(breaches);
    document.getElementById("faults").innerHTML = faultsHtml(faults);
    markLinked();
    await loadPoolAndSwaps(current);
  } catch (error) {
    if (!current()) return;
    if (error.status === 401) return renderLogin();
    document.getElementById("error").innerHTML = errorHtml(error);
  } finally {
    if (current()) {
      app.dataset.month = state.month;
      app.removeAttribute("aria-busy");
    }
  }
}

async function loadPoolAndSwaps(current = () => true) {
  const [pool, swaps] = await Promise.all([api("/api/v1/spares"), api("/api/v1/swaps?state=flagged&per_page=500")]);
  if (!current()) return;
  document.getElementById("pool").innerHTML = poolHtml(pool);
  document.getElementById("swaps").innerHTML = swapsHtml(swaps.items);
}

async function resolveSwap(event) {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const box = button.closest("[data-swap]");
  const note = box.querySelector("input[name=note]").value.trim() || null;
  box.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  try {
    await api(`/api/v1/swaps/${box.dataset.swap}/resolve`, { method: "POST",
      body: JSON.stringify({ action: button.dataset.action, note }) });
    await loadPoolAndSwaps();
  } catch (error) {
    box.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    box.querySelector(".error").innerHTML = errorHtml(error);
  }
}

/** One fault's timeline, as the desk shows it, without the desk's forms. */
async function showTimeline(id) {
  const box = document.getElementById("fault-detail");
  try {
    const fault = await api(`/api/v1/faults/${id}`);
    box.innerHTML = `<h2>${esc(t("fault"))} #${fault.id} · ${esc(fault.tag)}</h2>${timelineHtml(fault, t, when)}`;
    box.hidden = false;
    box.dataset.fault = String(fault.id);
  } catch (error) {
    if (error.status === 401) return renderLogin();
    document.getElementById("error").innerHTML = errorHtml(error);
  }
}

async function lookUpCustody(event) {
  event.preventDefault();
  const tag = event.target.tag.value.trim();
  const result = document.getElementById("custody-result");
  try {
    result.innerHTML = custodyHtml(await api(`/api/v1/devices/${encodeURIComponent(tag)}/custody`));
  } catch (error) {
    result.innerHTML = `<p class="error">${errorHtml(error)}</p>`;
  }
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell });
