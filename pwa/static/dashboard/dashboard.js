// The office dashboard (supervisors, admins; the client's viewer reads it): today's tiles, each
// linking to its page, and the trends drawn by core/charts.js. One call: GET /api/v1/dashboard.
import { createPage, errorHtml, esc, getLang, label, latestOnly, startPage } from "../supervisor/page.js";
import { DASHBOARD } from "../core/dict/dashboard.js";
import { barChart, hbarChart, lineChart } from "../core/charts.js";

const { state, t, api, client } = createPage(DASHBOARD, { period: "", data: null });
const app = document.getElementById("app");
const MANAGERS = ["supervisor", "admin"];

const clockTime = (iso) => new Date(iso).toLocaleTimeString("zh-CN",
  { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false });

function duration(seconds) {
  const minutes = Math.round(Math.abs(seconds) / 60);
  return minutes < 60 ? t("minutes", { n: minutes }) : t("hours", { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** One tile: its heading links to the page that does the work. */
const tile = (id, href, heading, body, tone = "") => `<section class="tile ${tone}" id="tile-${id}" aria-labelledby="h-${id}">
  <h2 id="h-${id}"><a href="${esc(href)}">${esc(heading)}</a></h2>${body}</section>`;
const line = (text, cls = "") => `<p class="${cls}">${esc(text)}</p>`;

function dailyTile({ daily_check: d }) {
  let body;
  if (d.done) {
    body = line(t("daily_done"), "ok big") + d.checks.map((c) =>
      line(t("daily_by", { who: c.display_name || c.username, time: clockTime(c.started_at) }))).join("");
  } else {
    body = d.working_day ? line(t("daily_not_yet"), "warn big") : line(t("daily_not_owed"), "big");
  }
  body += line(t("daily_month", { checked: d.month.checked_days, due: d.month.due_days, missed: d.month.missed_days }), "muted");
  const tone = d.done || !d.working_day ? "good" : "alert";
  return tile("daily", "/coverage", t("daily"), body, tone);
}

function clockText(fault) {
  const names = fault.breached.length ? fault.breached : fault.about_to_breach;
  return names.map((name) => {
    const clock = fault.clocks[name];
    const left = clock.remaining_seconds ?? 0;
    return `${label("clock", name)} ${left < 0 ? t("clock_late", { d: duration(left) }) : t("clock_left", { d: duration(left) })}`;
  }).join("，");
}

function faultsTile({ faults }, manager) {
  const rows = faults.items.map((f) => {
    const tone = f.breached.length ? "alert" : f.about_to_breach.length ? "warn" : "";
    const clocks = f.breached.length || f.about_to_breach.length ? ` <span class="${tone}">${esc(clockText(f))}</span>` : "";
    return `<li data-fault="${f.id}"><a href="/faults?fault=${f.id}">${esc(t("fault_row", { id: f.id, tag: f.tag, site: f.site_name || "" }))}</a>
      <span>${esc(label("fault_state", f.state))}</span>${clocks}</li>`;
  }).join("");
  const body = faults.open
    ? line(t("faults_open", { n: faults.open }), "big") + line(t("faults_breached", { n: faults.breached }), faults.breached ? "alert" : "")
      + line(t("faults_about", { n: faults.about_to_breach }), faults.about_to_breach ? "warn" : "") + `<ul class="rows">${rows}</ul>`
    : line(t("faults_none"), "ok");
  const tone = faults.breached ? "alert" : faults.about_to_breach ? "warn" : "good";
  return tile("faults", manager ? "/desk" : "/faults", t("faults"), body, tone);
}

function planTile({ plan }) {
  const body = line(t("plan_progress", { done: plan.planned_visited, planned: plan.planned }), "big")
    + line(t("plan_visited", { n: plan.visited })) + (plan.missed ? line(t("plan_missed", { n: plan.missed }), "alert") : "");
  return tile("plan", `/coverage?quarter=${plan.quarter}`, t("plan", { quarter: plan.quarter }), body, plan.missed ? "warn" : "");
}

function overdueTile({ overdue, plan }) {
  const rows = overdue.items.map((r) => `<li>${esc(r.name)} <span class="muted">${esc(r.last_visit ? r.last_visit.slice(0, 10) : t("never_visited"))}</span></li>`).join("");
  const body = overdue.count ? line(t("overdue_n", { n: overdue.count }), "big warn") + `<ul class="rows">${rows}</ul>` : line(t("overdue_none"), "ok");
  return tile("overdue", `/coverage?quarter=${plan.quarter}`, t("overdue"), body, overdue.count ? "warn" : "good");
}

function sparesTile({ spares }) {
  const low = spares.low_stock.map((s) => line(t("spares_low", { name: getLang() === "en" && s.name_en ? s.name_en : s.name_zh, count: s.count, min: s.min_count }), "alert")).join("");
  const body = line(t("spares_total", { n: spares.total }), "big") + (low || line(t("spares_ok"), "ok"));
  return tile("spares", "/faults", t("spares"), body, low ? "alert" : "good");
}

function reviewTile({ review }) {
  if (!review) return "";
  // every queue of /review, set-aside and never-arrived records included
  const queues = ["conflicts", "swaps", "clock", "photos", "set_aside", "lost"];
  const total = queues.reduce((n, k) => n + (review[k] || 0), 0);
  const body = line(t("review_n", { n: total }), "big") + queues
    .map((k) => line(t(`review_${k}`, { n: review[k] }), review[k] ? "warn" : "muted")).join("");
  return tile("review", "/review", t("review"), body, total ? "warn" : "good");
}

function assessmentTile({ assessment: a }) {
  if (!a) return tile("assessment", "/assessment", t("assessment"), line(t("assessment_none"), "muted"));
  const p = a.projection;
  const body = line(t("assessment_score", { score: a.score }), "big")
    + (p ? line(t("assessment_projection", { total: p.total, passed: t(p.passed ? "assessment_passed" : "assessment_failed") }), p.passed ? "ok" : "alert") : "")
    + line(t("assessment_risk", { n: a.at_risk_points }), a.at_risk_points ? "warn" : "muted");
  return tile("assessment", "/assessment", t("assessment"), body, p && !p.passed ? "alert" : "");
}

function meetingsTile({ meetings: m }) {
  const when = (iso) => new Date(iso).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN",
    { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
  const rows = m.items.map((x) => `<li>${esc(when(x.starts_at))} ${esc(x.title)}</li>`).join("");
  const body = m.count ? line(t("meetings_n", { n: m.count, days: m.days }), "big") + `<ul class="rows">${rows}</ul>`
    : line(t("meetings_none", { days: m.days }), "muted");
  return tile("meetings", "/meetings", t("meetings"), body);
}

const monthLabel = (month) => t("month_short", { m: String(Number(month.slice(5))) });

function bandName(band, previous) {
  return band.up_to_minutes == null ? t("band_over", { n: previous }) : t("band_upto", { n: band.up_to_minutes });
}

/** The trend charts, each in a figure with its heading; nothing to draw says so. */
function chartsHtml(trends) {
  const labels = trends.months.map(monthLabel);
  const months = trends.months.length;
  const pct = (v) => `${Math.round(v * 100)}%`;
  const figure = (id, title, svg) => `<figure class="chart" id="chart-${id}"><figcaption>${esc(title)}</figcaption>${svg}</figure>`;
  const bars = (title, series, extra = {}) => barChart({ title, desc: t("desc_bars", { n: months }), labels, series, ...extra });
  const out = [];
  out.push(figure("faults", t("chart_faults"), bars(t("chart_faults"), [
    { name: t("reported"), values: trends.faults.map((m) => m.reported) },
    { name: t("resolved"), values: trends.faults.map((m) => m.resolved) },
  ])));
  out.push(figure("rate", t("chart_rate"), lineChart({ title: t("chart_rate"), desc: t("desc_bars", { n: months }), labels,
    series: [{ name: t("rate"), values: trends.faults.map((m) => m.rate) }], max: 1, format: pct, target: 0.95, targetName: t("target") })));
  const bandSeries = trends.bands.map((band, i) => ({
    name: bandName(band, trends.bands[i - 1]?.up_to_minutes),
    values: trends.response.map((m) => m.counts[i]),
    color: ["#2e7d32", "#9e9d24", "#ef6c00", "#d84315", "#b71c1c"][i],
  }));
  out.push(figure("response", t("chart_response"), bars(t("chart_response"), bandSeries, { stacked: true })));
  out.push(figure("daily", t("chart_daily"), bars(t("chart_daily"), [
    { name: t("due"), values: trends.daily_checks.map((m) => m.due), color: "#90a4ae" },
    { name: t("checked"), values: trends.daily_checks.map((m) => m.checked) },
  ])));
  const quarters = [...new Set(trends.coverage.map((r) => r.quarter))];
  const prefectures = [...new Map(trends.coverage.map((r) => [r.prefecture, r.name])).entries()];
  const share = (q, code) => {
    const row = trends.coverage.find((r) => r.quarter === q && r.prefecture === code);
    return row && row.bureaus ? row.visited / row.bureaus : 0;
  };
  out.push(figure("coverage", t("chart_coverage"), prefectures.length ? hbarChart({ title: t("chart_coverage"),
    desc: t("desc_hbars", { n: prefectures.length }), labels: prefectures.map(([, name]) => name), max: 1, format: pct,
    series: quarters.map((q) => ({ name: t("coverage_pct", { q }), values: prefectures.map(([code]) => share(q, code)) })) })
    : `<p class="muted">${esc(t("no_data"))}</p>`));
  return out.join("");
}

function draw() {
  const data = state.data;
  const manager = MANAGERS.includes(state.user?.role);
  document.getElementById("today").textContent = t("today", { day: data.today });
  document.getElementById("tiles").innerHTML = [dailyTile(data), faultsTile(data, manager), planTile(data), overdueTile(data),
    sparesTile(data), reviewTile(data), assessmentTile(data), meetingsTile(data)].join("");
  document.getElementById("charts").innerHTML = chartsHtml(data.trends);
  app.dataset.loaded = data.trends.period.label;  // tests wait for the answer they asked for
}

const startLoad = latestOnly();

async function load() {
  const current = startLoad();
  const error = document.getElementById("error");
  error.innerHTML = "";
  app.setAttribute("aria-busy", "true");
  try {
    const query = state.period ? `?period=${encodeURIComponent(state.period)}` : "";
    const data = await api(`/api/v1/dashboard${query}`);
    if (!current()) return;
    state.data = data;
    draw();
  } catch (err) {
    if (!current()) return;
    if (err.status === 401) { renderLogin(); return; }
    error.innerHTML = errorHtml(err);
  } finally {
    if (current()) app.removeAttribute("aria-busy");
  }
}

function renderShell() {
  // Supervisors and admins land here after signing in; the field app stays one tap away.
  const field = MANAGERS.includes(state.user?.role) ? ` · <a id="field-app" href="/?field=1">${esc(t("nav_field"))}</a>` : "";
  app.innerHTML = `<p class="muted"><span id="today"></span>${field}</p><p class="error" id="error" role="alert"></p>
    <div class="tiles" id="tiles" aria-live="polite"></div>
    <section class="trends" aria-labelledby="h-trends"><h2 id="h-trends">${esc(t("trends"))}</h2>
      <form id="period-form" class="period"><label>${esc(t("period"))}
        <input name="period" id="period" value="${esc(state.period)}" placeholder="${esc(t("period_default"))}" aria-describedby="period-hint"></label>
        <button type="submit">${esc(t("show"))}</button><span id="period-hint" class="muted">${esc(t("period_hint"))}</span></form>
      <div id="charts" class="charts"></div></section>`;
  document.getElementById("period-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.period = event.target.period.value.trim();
    load();
  });
  if (state.data) draw();
  load();
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell, page: "dashboard" });
