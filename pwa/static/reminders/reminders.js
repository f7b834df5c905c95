// The reminders page (/reminders, admins): each rule on or off with its thresholds, the channels
// (WeCom, DingTalk, e-mail) with their subscriptions and a test send, and the delivery log with
// every attempt and the receiver's answer. Everything goes through /api/v1/reminders.
import { createPage, esc, label, messageLine, startPage } from "../supervisor/page.js";
import { channelsHtml, wireChannels } from "./channels.js";

const TEXT = { "zh-CN": { title: "提醒" }, en: { title: "Reminders" } };
const { state, t, api, client } = createPage(TEXT);
const app = document.getElementById("app");
const { say, report } = messageLine(t, () => renderLogin());
const when = (iso) => (iso ? new Date(iso).toLocaleString(document.documentElement.lang) : "—");

function paramInput(rule, p) {
  const type = p.kind === "time" ? 'type="time"' : `type="number" min="0" step="${p.kind === "ratio" ? "0.01" : "1"}"`;
  return `<label>${esc(t(`param_${p.name}`))} <input name="${esc(p.name)}" ${type} value="${esc(p.value)}"
    data-kind="${esc(p.kind)}" aria-describedby="default-${esc(rule.name)}-${esc(p.name)}"></label>`;
}

function rulesHtml(rules) {
  return rules.map((rule) => `<form class="rule" data-rule="${esc(rule.name)}">
    <h3>${esc(t(`rule_${rule.name}`))}</h3>
    <p class="hint">${esc(t("rem_audience"))}：${rule.audience.map((r) => esc(label("role", r))).join("、")}</p>
    <label><input type="checkbox" name="enabled" ${rule.enabled ? "checked" : ""}> ${esc(t("rem_enabled"))}</label>
    ${rule.params.map((p) => paramInput(rule, p)).join("")}
    <button type="submit">${esc(t("rem_save"))}</button></form>`).join("");
}

function logHtml(page) {
  if (!page.items.length) return `<p class="hint">${esc(t("rem_no_log"))}</p>`;
  const rows = page.items.map((d) => `<tr data-delivery="${d.id}"><td>${esc(when(d.created_at))}</td>
    <td>${esc(t(`rule_${d.rule}`))}<br>${esc(d.title)}</td><td>${esc(d.channel_name)}</td>
    <td>${esc(label("delivery_state", d.state))}</td><td>${d.attempts}</td>
    <td>${d.tries.map((a) => `<div>${esc(when(a.at))} ${a.ok ? "✓" : "✗"} <code>${esc(a.answer || "")}</code></div>`).join("")}</td></tr>`);
  return `<div class="scroll"><table id="log"><thead><tr><th>${esc(t("rem_when"))}</th><th>${esc(t("rem_title"))}</th>
    <th>${esc(t("rem_channel"))}</th><th>${esc(t("rem_state"))}</th><th>${esc(t("rem_attempts"))}</th>
    <th>${esc(t("rem_answer"))}</th></tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function readParams(form) {
  const params = {};
  for (const input of form.querySelectorAll("input[data-kind]")) {
    params[input.name] = input.dataset.kind === "time" ? input.value : Number(input.value);
  }
  return params;
}

async function renderShell() {
  say("");
  const [rules, channels, log, users] = await Promise.all([api("/api/v1/reminders/rules"),
    api("/api/v1/reminders/channels"), api("/api/v1/reminders/deliveries?per_page=50"),
    api("/api/v1/users?per_page=500")]);
  const people = users.items.filter((u) => u.active !== false);
  app.innerHTML = `<section><h2>${esc(t("rem_channels"))}</h2>${channelsHtml(t, channels, rules, people)}</section>
    <section><h2>${esc(t("rem_rules"))}</h2><div id="rules">${rulesHtml(rules)}</div></section>
    <section><h2>${esc(t("rem_log"))}</h2><div id="log-box">${logHtml(log)}</div></section>`;
  app.querySelectorAll("form.rule").forEach((form) => form.addEventListener("submit", (event) => {
    event.preventDefault();
    api(`/api/v1/reminders/rules/${form.dataset.rule}`, { method: "PATCH",
      json: { enabled: form.enabled.checked, params: readParams(form) } })
      .then(() => say(t("rem_saved"), true)).catch(report);
  }));
  wireChannels(app, api, { say, report, t, users: people, reload: () => renderShell().catch(report) });
  app.dataset.loaded = String(Date.now()); // a test waits for a render, not a delay
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell: () => renderShell().catch(report), page: "reminders" });
