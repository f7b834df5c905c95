// The label printing page, on the office pages' base (session, sign-in, top bar, language: supervisor/page.js):
// choose a template and a batch, preview, download the PDF, calibrate, see the register.
import { createPage, getLang, label, messageLine, startPage } from "../supervisor/page.js";

const API = "/api/v1";
const TEXT = {
  "zh-CN": {
    title: "标签打印", batch: "选择批次",
    template: "模板", mode: "范围", modeAll: "全省（全部设备）", modeSite: "单位", modePrefecture: "市（州）",
    modeCounty: "区（县）", modeType: "设备类型", modeTags: "指定标签号", modeNever: "从未打印",
    modeBefore: "某日期前打印", site: "单位", prefecture: "市（州）", county: "区（县）", type: "设备类型",
    tags: "标签号（逗号或换行分隔）", printedBefore: "打印日期早于", onlyNever: "只要从未打印过的", ecc: "纠错等级",
    eccDefault: "模板默认", preview: "预览", download: "打印", calibration: "校准页",
    output: "输出", outputPdf: "下载 PDF（桌面打印）", outputTspl: "下载 TSPL 指令文件（TSC 等热敏打印机）",
    outputZpl: "下载 ZPL 指令文件（斑马打印机）", toPrinter: "发送到打印机：{name}（{lang}，{dpi} dpi）",
    sent: "已发送 {n} 张标签到打印机 {printer}（打印记录 #{id}）", calibrationSent: "校准页已发送到打印机 {printer}",
    status: "状态", retry: "重试", retried: "打印记录 #{id} 已重新发送到打印机 {printer}",
    offsets: "打印偏移（毫米）", save: "保存",
    offsetsHint: "先打印校准页，按实际大小 100% 打印；轮廓偏左则 X 取正值，偏下则 Y 取负值。",
    jobs: "最近的打印记录", exportCsv: "导出标签登记表（CSV）", when: "时间", by: "操作人", kind: "类型",
    selection: "批次", count: "数量", perPage: "每页 {n} 张", labelsCount: "共 {n} 张标签，{p} 页",
    printed: "已生成 {n} 张标签（打印记录 #{id}）", saved: "偏移已保存",
    needRole: "只有主管和管理员可以打印标签。", busy: "正在生成…",
    loopbackBase: "注意：这些标签的二维码指向 {base}，这是服务器本机的地址，手机扫码打不开。" +
      "请让管理员在服务器配置中把标签网址设为手机能访问的地址，或用手机能访问的地址打开本页，再重新打印。",
  },
  en: {
    title: "Label printing", batch: "Choose a batch", template: "Template", mode: "Batch",
    modeAll: "Whole province (every device)", modeSite: "Site", modePrefecture: "Prefecture", modeCounty: "County",
    modeType: "Device type", modeTags: "Listed tags", modeNever: "Never printed", modeBefore: "Printed before a date",
    site: "Site", prefecture: "Prefecture", county: "County", type: "Device type",
    tags: "Tags (comma or newline separated)", printedBefore: "Printed before", onlyNever: "Only devices never printed",
    ecc: "Error correction", eccDefault: "Template default", preview: "Preview", download: "Print",
    output: "Output", outputPdf: "Download PDF (desktop printing)", outputTspl: "Download a TSPL job (TSC and most thermal printers)",
    outputZpl: "Download a ZPL job (Zebra)", toPrinter: "Send to printer: {name} ({lang}, {dpi} dpi)",
    sent: "{n} labels sent to printer {printer} (print job #{id})", calibrationSent: "Calibration page sent to printer {printer}",
    status: "Status", retry: "Retry", retried: "Print job #{id} sent again to printer {printer}",
    calibration: "Calibration page", offsets: "Printer offsets (mm)", save: "Save",
    offsetsHint: "Print the calibration page at actual size (100 %); outlines too far left: positive X; " +
      "too low: negative Y.",
    jobs: "Recent print jobs", exportCsv: "Export the label register (CSV)", when: "When", by: "By", kind: "Kind",
    selection: "Batch", count: "Labels", perPage: "{n} per page", labelsCount: "{n} labels, {p} pages",
    printed: "{n} labels generated (print job #{id})", saved: "Offsets saved",
    needRole: "Only supervisors and admins may print labels.", busy: "Working…",
    loopbackBase: "Note: these labels' QR codes point at {base}, the server machine's own address: no phone " +
      "can open it. Set LABEL_URL_BASE on the server to an address phones reach (e.g. https://xj.example.cn), " +
      "or open this page from that address, then print again.",
  },
};
const { state, t, api, client } = createPage(TEXT, { templates: [], previewUrl: null });
const $ = (selector) => document.querySelector(selector);
const app = document.getElementById("app");

const { say, report } = messageLine(t, () => renderLogin());

/** The answer itself (PDF, PNG, JSON); errors raise ApiError (a 401 shows the sign-in form). */
const call = (method, path, body) => client.send(method, API + path, { json: body, headers: {
  Accept: "application/json, application/pdf, image/png" } });

function renderShell() {
  app.replaceChildren($("#labels-main").content.cloneNode(true));
  app.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  say("");
  wire();
  presetTags();
  showMode();
  start().catch(report);
}

/** /labels?tags=A,B (from an import or a device page): the batch of those tags, ready to print. */
function presetTags() {
  const given = new URLSearchParams(location.search).get("tags");
  if (!given) return;
  $("#mode").value = "tags";
  $("#tags").value = given.split(",").filter(Boolean).join("\n");
}

async function start() {
  const manager = ["supervisor", "admin"].includes(state.user.role);
  $("#printing").hidden = !manager;
  $("#offsets-section").hidden = !manager;
  if (!manager) say(t("needRole"));
  await Promise.all([loadTemplates(), manager ? loadChoices() : null, manager ? loadPrinters() : null, loadJobs()]
    .map((p) => p && p.catch(report)));
}

async function loadTemplates() {
  state.templates = await api(`${API}/labels/templates`);
  fillTemplates();
}

function fillTemplates() {
  const select = $("#template");
  const chosen = select.value || "a4-3x8";
  select.replaceChildren(...state.templates.map((tpl) => new Option(
    `${tpl.name} — ${tpl.label_width}×${tpl.label_height} mm, ${t("perPage", { n: tpl.per_page })}`, tpl.name)));
  if (state.templates.some((tpl) => tpl.name === chosen)) select.value = chosen;
  showOffsets();
}

function showOffsets() {
  const tpl = state.templates.find((item) => item.name === $("#template").value);
  if (!tpl) return;
  $("#offset-x").value = tpl.offset_x;
  $("#offset-y").value = tpl.offset_y;
}

async function loadChoices() {
  const [sites, prefectures, newAreas, counties, types] = await Promise.all([
    api(`${API}/sites?per_page=500`), api(`${API}/regions?level=prefecture`),
    api(`${API}/regions?level=new-area`), api(`${API}/regions?level=county`), api(`${API}/device-types`)]);
  fill("#site", sites.items.map((s) => [s.code, `${s.name} (${s.code})`]));
  fill("#prefecture", [...prefectures, ...newAreas].map((r) => [r.code, `${r.name} (${r.code})`]));
  fill("#county", counties.map((r) => [r.code, `${r.name} (${r.code})`]));
  const typeName = (d) => (getLang() === "en" && d.name_en ? d.name_en : d.name_zh);
  fill("#type", types.map((d) => [d.code, `${d.code} ${typeName(d)}${d.model ? " · " + d.model : ""}`]));
}

/** The configured thermal printers join the output choices (a file is always offered too). */
async function loadPrinters() {
  const printers = await api(`${API}/labels/printers`);
  $("#output").append(...printers.map((p) => new Option(
    t("toPrinter", { name: p.name, lang: label("print_output", p.language), dpi: p.dpi }), `printer:${p.name}`)));
}

/** {format} for a file, {printer} for a configured printer. */
function output() {
  const value = $("#output").value;
  return value.startsWith("printer:") ? { printer: value.slice(8) } : { format: value };
}

function fill(selector, pairs) {
  $(selector).replaceChildren(...pairs.map(([value, text]) => new Option(text, value)));
}

function showMode() {
  const mode = $("#mode").value;
  for (const name of ["site", "prefecture", "county", "type", "tags", "before"]) {
    for (const node of document.querySelectorAll(`.mode-${name}`)) node.hidden = mode !== name;
  }
}

function batch() {
  const mode = $("#mode").value;
  const body = { template: $("#template").value };
  if ($("#ecc").value) body.ecc = $("#ecc").value;
  if ($("#only-never").checked || mode === "never") body.never_printed = true;
  if (mode === "all") body.all = true;
  if (mode === "site") body.site = $("#site").value;
  if (mode === "prefecture") body.region = $("#prefecture").value;
  if (mode === "county") body.region = $("#county").value;
  if (mode === "type") body.type = $("#type").value;
  if (mode === "tags") body.tags = $("#tags").value.split(/[\s,，;；]+/).filter(Boolean);
  if (mode === "before") body.printed_before = $("#printed-before").value || null;
  return body;
}

async function busy(work) {
  const buttons = document.querySelectorAll("#batch button");
  buttons.forEach((b) => { b.disabled = true; });
  say(t("busy"), true);
  try { await work(); } catch (error) { report(error); } finally { buttons.forEach((b) => { b.disabled = false; }); }
}

/** Warn when the labels' QR codes point at the server's loopback address (no phone reaches it). */
function checkBase(response) {
  const warning = $("#url-warning");
  warning.hidden = response.headers.get("X-Label-Url-Loopback") !== "1";
  warning.textContent = warning.hidden ? "" : t("loopbackBase", { base: response.headers.get("X-Label-Url-Base") });
}

async function preview() {
  const response = await call("POST", "/labels/preview", { ...batch(), format: "png" });
  checkBase(response);
  if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
  state.previewUrl = URL.createObjectURL(await response.blob());
  $("#preview-image").src = state.previewUrl;
  $("#preview-count").textContent = t("labelsCount", { n: response.headers.get("X-Label-Count"),
                                                      p: response.headers.get("X-Label-Pages") });
  $("#preview-box").hidden = false;
  say("");
}

async function download(response, fallbackName) {
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function printBatch() {
  const chosen = output();
  try {
    if (chosen.printer) {
      const job = await api(`${API}/labels/print`, { method: "POST", json: { ...batch(), ...chosen } });
      say(t("sent", { n: job.count, printer: job.printer, id: job.id }), true);
      return;
    }
    const response = await call("POST", "/labels/print", { ...batch(), ...chosen });
    checkBase(response);
    await download(response, `labels.${chosen.format}`);
    say(t("printed", { n: response.headers.get("X-Label-Count"), id: response.headers.get("X-Print-Job") }), true);
  } finally { await loadJobs().catch(() => {}); } // a printer that did not take it: the job is kept, failed
}

async function calibration() {
  const name = encodeURIComponent($("#template").value);
  const chosen = output();
  if (chosen.printer) {
    await api(`${API}/labels/calibration/${name}/print`, { method: "POST", json: chosen });
    say(t("calibrationSent", { printer: chosen.printer }), true);
    return;
  }
  const query = chosen.format === "pdf" ? "" : `?format=${chosen.format}`;
  const response = await call("GET", `/labels/calibration/${name}${query}`);
  await download(response, `calibration.${chosen.format}`);
  say("");
}

async function retry(job) {
  try {
    const done = await api(`${API}/labels/jobs/${job.id}/retry`, { method: "POST", json: {} });
    say(t("retried", { id: done.id, printer: done.printer }), true);
  } catch (error) { report(error); }
  await loadJobs().catch(report);
}

async function saveOffsets(event) {
  event.preventDefault();
  const name = $("#template").value;
  try {
    await api(`${API}/labels/templates/${encodeURIComponent(name)}/offsets`, { method: "PUT",
      json: { offset_x: Number($("#offset-x").value), offset_y: Number($("#offset-y").value) } });
    await loadTemplates();
    say(t("saved"), true);
  } catch (error) { report(error); }
}

async function loadJobs() {
  let page;
  try { page = await api(`${API}/labels/jobs?per_page=10`); } catch (error) {
    if (error.status === 403) { $("#jobs-section").hidden = true; return; }
    throw error;
  }
  $("#jobs tbody").replaceChildren(...page.items.map((job) => {
    const row = document.createElement("tr");
    const cell = (text, tag = null) => {
      const td = document.createElement("td");
      td.append(tag ? Object.assign(document.createElement(tag), { textContent: text }) : text);
      return td;
    };
    // The operator by login name (or "cli"), an identifier as stored in the evidence, not prose.
    row.append(cell(new Date(job.at).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN")),
      cell(job.actor_label, "code"), cell(label("print_kind", job.kind)), cell(job.template));
    // The batch as the server describes it (its selection's codes, e.g. "region 520102").
    const batchCell = document.createElement("td");
    batchCell.append(Object.assign(document.createElement("code"), { textContent: job.description }));
    row.append(batchCell, Object.assign(document.createElement("td"), { textContent: job.count }));
    const status = cell(label("print_status", job.status));
    status.dataset.status = job.status;
    if (job.status === "failed" && ["supervisor", "admin"].includes(state.user.role)) {
      const again = Object.assign(document.createElement("button"), { type: "button", textContent: t("retry") });
      again.addEventListener("click", () => busy(() => retry(job)));
      status.append(" ", again);
    }
    row.append(status);
    return row;
  }));
}

function wire() {
  $("#mode").addEventListener("change", showMode);
  $("#template").addEventListener("change", showOffsets);
  $("#preview").addEventListener("click", () => busy(preview));
  $("#print").addEventListener("click", () => busy(printBatch));
  $("#calibration").addEventListener("click", () => busy(calibration));
  $("#offsets").addEventListener("submit", saveOffsets);
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell });
