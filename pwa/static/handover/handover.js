// The handover page, on the office pages' base (session, sign-in, top bar, language: supervisor/page.js):
// start a build of the package for a period, watch its progress, download it; the list of builds.
import { createPage, getLang, label, messageLine, startPage } from "../supervisor/page.js";
import { hasText } from "../core/i18n.js";

const TEXT = {
  "zh-CN": {
    title: "移交资料包", build: "生成资料包", period: "期间", start: "开始生成", download: "下载",
    intro: "资料包含期间内全部巡检、到场、故障、备件替换、返修、保管链、标签登记、覆盖率（CSV 和 XLSX），全部照片，以及带 SHA-256 的清单。",
    periodHint: "留空即合同期（2025-01-01 至 2025-12-31）；也可填 2025、2025Q4、2025-12 或 2025-01-01..2025-06-30。",
    builds: "历次生成", when: "时间", by: "操作人", status: "状态", size: "大小", file: "文件",
    progress: "{status}：{done} / {total}", started: "已开始生成 #{id}", running: "已有一次生成在进行（#{id}），显示其进度。",
    finished: "资料包 #{id} 已生成，可以下载。", failed: "生成失败：{message}", term: "合同期", none: "还没有生成过。",
    needRole: "只有主管和管理员可以生成资料包；审计可以下载已生成的资料包。",
  },
  en: {
    title: "Handover package", build: "Build a package", period: "Period", start: "Start", download: "Download",
    intro: "The package holds the period's inspections, visits, faults, swaps, repairs, custody moves, label " +
      "register and coverage (CSV and XLSX), every photo, and a manifest with SHA-256 sums.",
    periodHint: "Empty: the contract term (2025-01-01 to 2025-12-31); or 2025, 2025Q4, 2025-12, 2025-01-01..2025-06-30.",
    builds: "Builds", when: "When", by: "By", status: "Status", size: "Size", file: "File",
    progress: "{status}: {done} / {total}", started: "Build #{id} started", running: "A build is already running (#{id}); showing it.",
    finished: "Package #{id} is ready to download.", failed: "The build failed: {message}", term: "Contract term",
    none: "No builds yet.", needRole: "Only supervisors and admins build packages; auditors may download them.",
  },
};
const { state, t, api, client } = createPage(TEXT, { watching: null });
const $ = (selector) => document.querySelector(selector);
const app = document.getElementById("app");
const POLL_MS = 1000;

const { say, report } = messageLine(t, () => renderLogin());

const fill = (key, values) => t(key, values);
const periodText = (job) => (job.params.period === "term" ? t("term") : job.params.period);
const when = (iso) => (iso ? new Date(iso).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN") : "");
const megabytes = (bytes) => (bytes == null ? "" : `${(bytes / 1e6).toFixed(1)} MB`);

function renderShell() {
  app.replaceChildren($("#handover-main").content.cloneNode(true));
  app.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  say("");
  const manager = ["supervisor", "admin"].includes(state.user?.role);
  $("#start").disabled = !manager;
  if (!manager) say(t("needRole"));
  $("#build").addEventListener("submit", startBuild);
  loadBuilds();
}

async function startBuild(event) {
  event.preventDefault();
  $("#start").disabled = true;
  try {
    const period = $("#period").value.trim();
    const answer = await api("/api/v1/handover", { method: "POST", json: period ? { period } : {} });
    say(fill(answer.created ? "started" : "running", { id: answer.job.id }), true);
    watch(answer.job);
  } catch (error) {
    $("#start").disabled = false;
    report(error);
  }
}

/** Why a job failed, in words: its error code (core/dict/errors.js); the server's text is a detail. */
function failure(error) {
  const code = error?.code || "other";
  return hasText(`err_${code}`) ? t(`err_${code}`) : t("err_other");
}

/** Show one job's progress and poll it until it is done or failed. */
function watch(job) {
  state.watching = job.id;
  showJob(job);
  if (job.status === "done" || job.status === "failed") {
    $("#start").disabled = false;
    loadBuilds();
    return;
  }
  setTimeout(async () => {
    if (state.watching !== job.id || !document.getElementById("bar")) return;
    try { watch(await api(`/api/v1/jobs/${job.id}`)); } catch (error) { report(error); }
  }, POLL_MS);
}

function showJob(job) {
  $("#current").hidden = false;
  const bar = $("#bar");
  bar.max = Math.max(job.progress.total, 1);
  bar.value = job.status === "done" ? bar.max : job.progress.done;
  bar.dataset.status = job.status;
  $("#current-text").textContent = fill("progress", { status: label("job_status", job.status),
    done: job.progress.done, total: job.progress.total });
  const link = $("#current-download");
  link.hidden = !job.result;
  if (job.result) {
    link.href = job.result.download;
    link.setAttribute("download", job.result.name);
    say(fill("finished", { id: job.id }), true);
  }
  if (job.status === "failed") say(fill("failed", { message: failure(job.error) }), false, [job.error?.message || ""]);
}

async function loadBuilds() {
  try {
    const { items } = await api("/api/v1/handover");
    const body = $("#builds tbody");
    if (!body) return;
    body.replaceChildren(...items.map(row));
    if (!items.length) body.innerHTML = `<tr><td colspan="6">${t("none")}</td></tr>`;
    const active = items.find((job) => job.status === "queued" || job.status === "running");
    if (active && state.watching !== active.id) watch(active);
  } catch (error) {
    report(error);
  }
}

function row(job) {
  const tr = document.createElement("tr");
  tr.dataset.job = job.id;
  const cells = [when(job.created_at), job.created_by || "", periodText(job),
    job.status === "failed" ? `${label("job_status", job.status)}${getLang() === "en" ? ": " : "："}${failure(job.error)}` : label("job_status", job.status),
    megabytes(job.result?.size)];
  tr.append(...cells.map((text) => Object.assign(document.createElement("td"), { textContent: text })));
  const file = document.createElement("td");
  if (job.result) {
    file.append(Object.assign(document.createElement("a"), { href: job.result.download, textContent: job.result.name,
      download: job.result.name }));
  }
  tr.append(file);
  return tr;
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell });
