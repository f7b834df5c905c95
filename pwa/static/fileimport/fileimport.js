// The phone-file import page (docs/handover-file.md), on the office pages' base: upload a phone's
// hand-over file, see every record's answer, download the signed receipt for the phone; past imports.
import { createPage, getLang, label, messageLine, startPage } from "../supervisor/page.js";
import { codeText } from "../core/api.js";

// The page's other words are the core's (core/dict/sync.js imp_*, errors.js err_handfile_*).
const TEXT = { "zh-CN": { title: "导入手机文件" }, en: { title: "Import a phone file" } };
const { state, t, api, client } = createPage(TEXT, {});
const $ = (selector) => document.querySelector(selector);
const app = document.getElementById("app");
const { say, report } = messageLine(t, () => renderLogin());
const when = (iso) => (iso ? new Date(iso).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN") : "");
const person = (p) => (p ? p.display_name || p.username : "CLI");

function renderShell() {
  app.replaceChildren($("#fileimport-main").content.cloneNode(true));
  app.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  say("");
  const manager = ["supervisor", "admin"].includes(state.user?.role);
  $("#import-run").disabled = !manager;
  if (!manager) say(t("imp_need_role"));
  $("#import-form").addEventListener("submit", runImport);
  loadImports();
}

async function runImport(event) {
  event.preventDefault();
  $("#import-run").disabled = true;
  $("#import-result").hidden = true;
  try {
    const { body } = await client.request("POST", "/api/v1/sync/imports", { body: new FormData($("#import-form")) });
    showResult(body);
    loadImports();
  } catch (error) {
    report(error);
  } finally {
    $("#import-run").disabled = false;
  }
}

/** The answers of one import: counts, one row per record (refusals with their reason in words). */
function showResult(run) {
  say(t("imp_done", run), true);
  $("#import-result").hidden = false;
  $("#import-summary").textContent = `${person(run.user)} · ${run.phone_id} · ${run.file_name || ""}`;
  const link = $("#import-receipt");
  link.href = run.receipt_url;
  link.setAttribute("download", "");
  $("#import-answers tbody").replaceChildren(...run.results.map((answer) => {
    const tr = document.createElement("tr");
    tr.dataset.status = answer.status;
    const why = answer.status === "rejected" ? codeText(answer.code) : (answer.status === "conflict" ? t("imp_conflict") : "");
    tr.append(...[answer.uuid || "", label("sync_answer", answer.status), why]
      .map((text) => Object.assign(document.createElement("td"), { textContent: text })));
    return tr;
  }));
}

async function loadImports() {
  try {
    const { items } = await api("/api/v1/sync/imports");
    const body = $("#imports tbody");
    if (!body) return;
    body.replaceChildren(...items.map(row));
    if (!items.length) body.innerHTML = `<tr><td colspan="6">${t("imp_none")}</td></tr>`;
  } catch (error) {
    report(error);
  }
}

function row(run) {
  const tr = document.createElement("tr");
  tr.dataset.import = run.id;
  const cells = [when(run.imported_at), person(run.user), run.phone_id, person(run.imported_by),
    `${run.created} / ${run.duplicates} / ${run.conflicts} / ${run.rejected}`];
  tr.append(...cells.map((text) => Object.assign(document.createElement("td"), { textContent: text })));
  const cell = document.createElement("td");
  cell.append(Object.assign(document.createElement("a"), { href: run.receipt_url, textContent: t("imp_receipt"), download: "" }));
  tr.append(cell);
  return tr;
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell });
