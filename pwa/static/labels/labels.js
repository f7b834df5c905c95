// The label printing page: choose a template and a batch, preview, download the PDF, calibrate, see the register.
const API = "/api/v1";
const TEXT = {
  zh: {
    title: "标签打印", logout: "退出", signIn: "登录", username: "用户名", password: "密码", batch: "选择批次",
    template: "模板", mode: "范围", modeAll: "全省（全部设备）", modeSite: "单位", modePrefecture: "市（州）",
    modeCounty: "区（县）", modeType: "设备类型", modeTags: "指定标签号", modeNever: "从未打印",
    modeBefore: "某日期前打印", site: "单位", prefecture: "市（州）", county: "区（县）", type: "设备类型",
    tags: "标签号（逗号或换行分隔）", printedBefore: "打印日期早于", onlyNever: "只要从未打印过的", ecc: "纠错等级",
    eccDefault: "模板默认", preview: "预览", download: "下载 PDF", calibration: "校准页",
    offsets: "打印偏移（毫米）", save: "保存",
    offsetsHint: "先打印校准页，按实际大小 100% 打印；轮廓偏左则 X 取正值，偏下则 Y 取负值。",
    jobs: "最近的打印记录", exportCsv: "导出标签登记表（CSV）", when: "时间", by: "操作人", kind: "类型",
    selection: "批次", count: "数量", perPage: (n) => `每页 ${n} 张`, labelsCount: (n, p) => `共 ${n} 张标签，${p} 页`,
    printed: (n, id) => `已生成 ${n} 张标签（打印记录 #${id}）`, saved: "偏移已保存",
    needRole: "只有主管和管理员可以打印标签。", kinds: { print: "首次打印", reprint: "补打", retag: "换号" },
    busy: "正在生成…", lang: "English",
  },
  en: {
    title: "Label printing", logout: "Sign out", signIn: "Sign in", username: "Username", password: "Password",
    batch: "Choose a batch", template: "Template", mode: "Batch", modeAll: "Whole province (every device)",
    modeSite: "Site", modePrefecture: "Prefecture", modeCounty: "County", modeType: "Device type",
    modeTags: "Listed tags", modeNever: "Never printed", modeBefore: "Printed before a date", site: "Site",
    prefecture: "Prefecture", county: "County", type: "Device type", tags: "Tags (comma or newline separated)",
    printedBefore: "Printed before", onlyNever: "Only devices never printed", ecc: "Error correction",
    eccDefault: "Template default", preview: "Preview", download: "Download PDF", calibration: "Calibration page",
    offsets: "Printer offsets (mm)", save: "Save",
    offsetsHint: "Print the calibration page at actual size (100 %); outlines too far left: positive X; " +
      "too low: negative Y.",
    jobs: "Recent print jobs", exportCsv: "Export the label register (CSV)", when: "When", by: "By", kind: "Kind",
    selection: "Batch", count: "Labels", perPage: (n) => `${n} per page`,
    labelsCount: (n, p) => `${n} labels, ${p} pages`,
    printed: (n, id) => `${n} labels generated (print job #${id})`, saved: "Offsets saved",
    needRole: "Only supervisors and admins may print labels.",
    kinds: { print: "first print", reprint: "reprint", retag: "re-tag" }, busy: "Working…", lang: "中文",
  },
};
const state = { lang: localStorage.getItem("xj-lang") === "en" ? "en" : "zh", csrf: "", templates: [],
                previewUrl: null };
const $ = (selector) => document.querySelector(selector);
const t = (key) => TEXT[state.lang][key];

function applyLanguage() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = `${t("title")} · 巡检`;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  $("#lang").textContent = t("lang");
  fillTemplates();
}

function say(text, ok = false) {
  const box = $("#message");
  box.textContent = text;
  box.className = ok ? "ok" : "";
  box.hidden = !text;
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function call(method, path, body) {
  const headers = { Accept: "application/json, application/pdf, image/png" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = state.csrf;
  const response = await fetch(API + path, { method, headers, credentials: "same-origin",
                                             body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && path !== "/auth/login") {
    showLogin();
    throw new ApiError(401, "");
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try { message = (await response.json()).error.message; } catch { /* not JSON: keep the status */ }
    throw new ApiError(response.status, message);
  }
  return response;
}

const json = async (method, path, body) => (await call(method, path, body)).json();

function showLogin() {
  $("#app").hidden = true;
  $("#logout").hidden = true;
  $("#who").textContent = "";
  $("#login").hidden = false;
}

async function start() {
  let session;
  try { session = await json("GET", "/auth/me"); } catch (error) { return report(error); }
  state.csrf = session.csrf_token;
  $("#who").textContent = `${session.user.display_name} (${session.user.role})`;
  $("#login").hidden = true;
  $("#logout").hidden = false;
  $("#app").hidden = false;
  const manager = ["supervisor", "admin"].includes(session.user.role);
  $("#printing").hidden = !manager;
  $("#offsets-section").hidden = !manager;
  if (!manager) say(t("needRole"));
  await Promise.all([loadTemplates(), manager ? loadChoices() : null, loadJobs()].map((p) => p && p.catch(report)));
}

function report(error) {
  if (error instanceof ApiError && error.status === 401) return;
  say(error.message || String(error));
}

async function loadTemplates() {
  state.templates = await json("GET", "/labels/templates");
  fillTemplates();
}

function fillTemplates() {
  const select = $("#template");
  const chosen = select.value || "a4-3x8";
  select.replaceChildren(...state.templates.map((tpl) => new Option(
    `${tpl.name} — ${tpl.label_width}×${tpl.label_height} mm, ${t("perPage")(tpl.per_page)}`, tpl.name)));
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
    json("GET", "/sites?per_page=500"), json("GET", "/regions?level=prefecture"),
    json("GET", "/regions?level=new-area"), json("GET", "/regions?level=county"), json("GET", "/device-types")]);
  fill("#site", sites.items.map((s) => [s.code, `${s.name} (${s.code})`]));
  fill("#prefecture", [...prefectures, ...newAreas].map((r) => [r.code, `${r.name} (${r.code})`]));
  fill("#county", counties.map((r) => [r.code, `${r.name} (${r.code})`]));
  fill("#type", types.map((d) => [d.code, `${d.code} ${d.name_zh}${d.model ? " · " + d.model : ""}`]));
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

async function busy(button, work) {
  const buttons = document.querySelectorAll("#batch button");
  buttons.forEach((b) => { b.disabled = true; });
  say(t("busy"), true);
  try { await work(); } catch (error) { report(error); } finally { buttons.forEach((b) => { b.disabled = false; }); }
}

async function preview() {
  const response = await call("POST", "/labels/preview", { ...batch(), format: "png" });
  if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
  state.previewUrl = URL.createObjectURL(await response.blob());
  $("#preview-image").src = state.previewUrl;
  $("#preview-count").textContent = t("labelsCount")(response.headers.get("X-Label-Count"),
                                                      response.headers.get("X-Label-Pages"));
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
  const response = await call("POST", "/labels/print", { ...batch(), format: "pdf" });
  await download(response, "labels.pdf");
  say(t("printed")(response.headers.get("X-Label-Count"), response.headers.get("X-Print-Job")), true);
  await loadJobs();
}

async function calibration() {
  const response = await call("GET", `/labels/calibration/${encodeURIComponent($("#template").value)}`);
  await download(response, "calibration.pdf");
  say("");
}

async function saveOffsets(event) {
  event.preventDefault();
  const name = $("#template").value;
  try {
    await json("PUT", `/labels/templates/${encodeURIComponent(name)}/offsets`,
               { offset_x: Number($("#offset-x").value), offset_y: Number($("#offset-y").value) });
    await loadTemplates();
    say(t("saved"), true);
  } catch (error) { report(error); }
}

async function loadJobs() {
  let page;
  try { page = await json("GET", "/labels/jobs?per_page=10"); } catch (error) {
    if (error.status === 403) { $("#jobs-section").hidden = true; return; }
    throw error;
  }
  $("#jobs tbody").replaceChildren(...page.items.map((job) => {
    const row = document.createElement("tr");
    for (const text of [new Date(job.at).toLocaleString(state.lang === "zh" ? "zh-CN" : "en-GB"), job.actor_label,
                        t("kinds")[job.kind] || job.kind, job.template, job.description, job.count]) {
      row.append(Object.assign(document.createElement("td"), { textContent: text }));
    }
    return row;
  }));
}

async function signIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    await json("POST", "/auth/login", { username: form.get("username"), password: form.get("password") });
    say("");
    await start();
  } catch (error) { report(error); }
}

async function signOut() {
  try { await call("POST", "/auth/logout"); } catch (error) { report(error); }
  showLogin();
}

function wire() {
  $("#lang").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem("xj-lang", state.lang);
    applyLanguage();
    loadJobs().catch(report);
  });
  $("#login").addEventListener("submit", signIn);
  $("#logout").addEventListener("click", signOut);
  $("#mode").addEventListener("change", showMode);
  $("#template").addEventListener("change", showOffsets);
  $("#preview").addEventListener("click", (e) => busy(e.target, preview));
  $("#print").addEventListener("click", (e) => busy(e.target, printBatch));
  $("#calibration").addEventListener("click", (e) => busy(e.target, calibration));
  $("#offsets").addEventListener("submit", saveOffsets);
}

wire();
applyLanguage();
showMode();
start();
