// Review queue (supervisors, admins): what waits for a person, in one page. Sync conflicts side by
// side (accept the phone's version as a correction, or dismiss it with a reason), flagged swaps
// (as on /faults), inspections with a phone clock far off, a required photo missing, a gap in the
// phone's chain or a presence flag (far from the site, no position, tag typed), records
// the phones set aside after the server refused them (with the engineer's reason), and phones
// whose unsent records never arrived.
import { createPage, errorHtml, esc, latestOnly, startPage } from "../supervisor/page.js";
import { TEXT } from "./text.js";
import { conflictHtml, lostHtml, recordsHtml, setAsideHtml, swapHtml } from "./render.js";

const QUEUES = ["conflicts", "swaps", "clock", "photos", "chain", "presence", "set_aside", "lost"];
const PER_PAGE = 50;
const { state, t, api, client } = createPage(TEXT, { queue: "", counts: {} });
const app = document.getElementById("app");

function countsHtml() {
  const button = (queue, text, count) => `<button type="button" class="card" data-queue="${queue}"
      aria-pressed="${state.queue === queue}"><b data-count="${queue || "all"}">${count ?? "…"}</b><span>${esc(text)}</span></button>`;
  const total = QUEUES.every((q) => state.counts[q] != null) ? QUEUES.reduce((sum, q) => sum + state.counts[q], 0) : null;
  return button("", t("all"), total) + QUEUES.map((q) => button(q, t(`q_${q}`), state.counts[q])).join("");
}

function renderShell() {
  const section = (queue) => `<section id="${queue}-queue" data-queue-section="${queue}" aria-labelledby="h-${queue}">
      <h2 id="h-${queue}">${esc(t(`q_${queue}`))}</h2><div id="${queue}" aria-live="polite"></div></section>`;
  app.innerHTML = `<div class="counts" id="counts" role="group" aria-label="${esc(t("filter"))}">${countsHtml()}</div>
    <p class="error" id="error" role="alert"></p>${QUEUES.map(section).join("")}`;
  document.getElementById("counts").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-queue]");
    if (!button) return;
    state.queue = button.dataset.queue;
    drawCounts();
    showQueues();
  });
  document.getElementById("conflicts").addEventListener("click", resolveConflict);
  document.getElementById("swaps").addEventListener("click", resolveSwap);
  showQueues();
  load();
}

/** The counts in place (the buttons keep their focus): a queue's as it arrives, the sum once all did. */
function drawCounts() {
  const box = document.getElementById("counts");
  for (const queue of QUEUES) box.querySelector(`[data-count=${queue}]`).textContent = state.counts[queue] ?? "…";
  const known = QUEUES.every((q) => state.counts[q] != null);
  box.querySelector("[data-count=all]").textContent = known ? QUEUES.reduce((sum, q) => sum + state.counts[q], 0) : "…";
  box.querySelectorAll("button[data-queue]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.queue === state.queue)));
}

function showQueues() {
  for (const queue of QUEUES) {
    document.getElementById(`${queue}-queue`).hidden = Boolean(state.queue) && state.queue !== queue;
  }
}

const startLoad = latestOnly();

/** Every queue at once; each panel draws when its answer arrives, the counts when all did. */
async function load() {
  const current = startLoad();
  document.getElementById("error").innerHTML = "";
  app.setAttribute("aria-busy", "true");
  const queues = {
    conflicts: () => api(`/api/v1/sync/conflicts?state=open&per_page=${PER_PAGE}`),
    swaps: () => api("/api/v1/swaps?state=flagged&per_page=500"),
    clock: () => api(`/api/v1/review/records?kind=clock&per_page=${PER_PAGE}`),
    photos: () => api(`/api/v1/review/records?kind=photos&per_page=${PER_PAGE}`),
    chain: () => api(`/api/v1/review/records?kind=chain&per_page=${PER_PAGE}`),
    presence: () => api(`/api/v1/review/records?kind=presence&per_page=${PER_PAGE}`),
    set_aside: () => api(`/api/v1/review/set-asides?per_page=${PER_PAGE}`),
    lost: () => api(`/api/v1/review/phones?per_page=${PER_PAGE}`),
  };
  const draw = {
    conflicts: (items) => items.map(conflictHtml).join(""),
    swaps: (items) => items.map(swapHtml).join(""),
    clock: (items) => recordsHtml("clock", items),
    photos: (items) => recordsHtml("photos", items),
    chain: (items) => recordsHtml("chain", items),
    presence: (items) => recordsHtml("presence", items),
    set_aside: setAsideHtml,
    lost: lostHtml,
  };
  try {
    await Promise.all(QUEUES.map(async (queue) => {
      const page = await queues[queue]();
      if (!current()) return;
      state.counts[queue] = page.total;
      drawCounts();
      document.getElementById(queue).innerHTML = page.items.length ? draw[queue](page.items) : `<p class="muted">${esc(t("none"))}</p>`;
    }));
  } catch (error) {
    if (!current()) return;
    if (error.status === 401) return renderLogin();
    document.getElementById("error").innerHTML = errorHtml(error);
  } finally {
    if (current()) {
      app.removeAttribute("aria-busy");
      app.dataset.loaded = "1";
    }
  }
}

/** Accept or dismiss one conflict through POST /sync/conflicts/<id>/resolve; the server refuses a
 *  dismissal without a reason, and the page says so in words. */
async function resolveConflict(event) {
  const button = event.target.closest("button[data-resolution]");
  if (!button) return;
  const box = button.closest("[data-conflict]");
  const input = box.querySelector("input[name=note]");
  await act(box, `/api/v1/sync/conflicts/${box.dataset.conflict}/resolve`,
    { resolution: button.dataset.resolution, note: input.value.trim() || null }, input);
}

async function resolveSwap(event) {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const box = button.closest("[data-swap]");
  const input = box.querySelector("input[name=note]");
  await act(box, `/api/v1/swaps/${box.dataset.swap}/resolve`, { action: button.dataset.action, note: input.value.trim() || null }, input);
}

async function act(box, url, json, input) {
  const buttons = box.querySelectorAll("button");
  const message = box.querySelector("p.error[role=alert]");
  buttons.forEach((b) => { b.disabled = true; });
  message.innerHTML = "";
  try {
    await api(url, { method: "POST", json });
    await load();
    document.getElementById("error").textContent = "";
    document.getElementById("counts").querySelector("button[aria-pressed=true]")?.focus();
  } catch (error) {
    buttons.forEach((b) => { b.disabled = false; });
    if (error.status === 401) return renderLogin();
    message.innerHTML = errorHtml(error);
    if (error.fieldErrors?.json?.note) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  }
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell });
