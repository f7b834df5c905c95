// The channels part of the reminders page: add a WeCom/DingTalk robot or an SMTP mailbox, see
// each channel (its secret only masked), send a test, remove it, and manage who subscribes.
import { esc, label } from "../supervisor/page.js";

const KINDS = ["wecom", "dingtalk", "email"];
const SECURITY = ["starttls", "ssl", "none"];
const ROLES = ["engineer", "supervisor", "admin", "viewer"];
const options = (group, values) => values.map((v) => `<option value="${v}">${esc(label(group, v))}</option>`).join("");

function field(t, name, key, extra = "") {
  return `<label>${esc(t(key))} <input name="${name}" ${extra}></label>`;
}

function addHtml(t) {
  return `<form id="add-channel"><h3>${esc(t("rem_add_channel"))}</h3>
    ${field(t, "name", "rem_name", 'required maxlength="64"')}
    <label>${esc(t("rem_kind"))} <select name="kind">${options("channel_kind", KINDS)}</select></label>
    <div data-for="webhook">${field(t, "url", "rem_url", 'type="url" maxlength="512"')}
      <p class="hint">${esc(t("rem_https_hint"))}</p></div>
    ${field(t, "secret", "rem_secret", 'type="password" autocomplete="off" maxlength="256"')}
    <div data-for="email" hidden>${field(t, "host", "rem_smtp_host")}${field(t, "port", "rem_smtp_port", 'type="number" value="587"')}
      <label>${esc(t("rem_smtp_security"))} <select name="security">${options("smtp_security", SECURITY)}</select></label>
      ${field(t, "username", "rem_smtp_user", 'autocomplete="off"')}${field(t, "sender", "rem_sender", 'type="email"')}
      ${field(t, "recipients", "rem_recipients")}
      <label>${esc(t("rem_ca_pem"))} <textarea name="ca_pem" rows="3" maxlength="10000"></textarea></label></div>
    <fieldset><legend>${esc(t("rem_quiet"))}</legend>${field(t, "quiet_start", "rem_quiet_from", 'type="time"')}
      ${field(t, "quiet_end", "rem_quiet_to", 'type="time"')}</fieldset>
    <button type="submit" class="primary">${esc(t("rem_add_channel"))}</button></form>`;
}

// One picker for a role or one user (GET /api/v1/users): the value says which ("role:…", "user:…").
function whoOptions(t, users) {
  const roles = ROLES.map((r) => `<option value="role:${r}">${esc(label("role", r))}</option>`).join("");
  const people = users.map((u) => `<option value="user:${u.id}">${esc(userName(u))}</option>`).join("");
  return `<optgroup label="${esc(t("rem_sub_role"))}">${roles}</optgroup>` +
    (people ? `<optgroup label="${esc(t("rem_sub_user"))}">${people}</optgroup>` : "");
}

// The display name and role (a login name is ASCII: not shown on a Chinese screen).
const userName = (u) => `${u.display_name || u.username}（${label("role", u.role)}）`;

function channelHtml(t, channel, rules, users) {
  const kept = channel.secret ? `<p class="hint">${esc(t("rem_secret_kept", { masked: channel.secret }))}</p>` : "";
  const where = channel.kind === "email" ? (channel.settings.recipients || []).join(", ") : channel.url;
  return `<article class="channel" data-channel="${channel.id}"><h3>${esc(channel.name)} · ${esc(label("channel_kind", channel.kind))}</h3>
    <p><code>${esc(where)}</code></p>${kept}
    <p><button type="button" data-test>${esc(t("rem_test"))}</button> <button type="button" data-remove>${esc(t("rem_remove"))}</button></p>
    <h4>${esc(t("rem_subs"))}</h4><ul data-subs></ul>
    <form data-subscribe><label>${esc(t("rem_sub_who"))} <select name="who">${whoOptions(t, users)}</select></label>
      <label>${esc(t("rem_sub_rule"))} <select name="rule"><option value="">${esc(t("rem_all_rules"))}</option>
        ${rules.map((r) => `<option value="${esc(r.name)}">${esc(t(`rule_${r.name}`))}</option>`).join("")}</select></label>
      <button type="submit">${esc(t("rem_subscribe"))}</button></form></article>`;
}

export function channelsHtml(t, channels, rules, users) {
  return `${channels.length ? "" : `<p class="hint" id="no-channels">${esc(t("rem_none"))}</p>`}
    <div id="channels">${channels.map((c) => channelHtml(t, c, rules, users)).join("")}</div>${addHtml(t)}`;
}

function channelBody(form) {
  const value = (name) => form[name].value.trim();
  const body = { name: value("name"), kind: form.kind.value };
  if (value("secret")) body.secret = value("secret");
  if (value("quiet_start") || value("quiet_end")) Object.assign(body, { quiet_start: value("quiet_start") || null, quiet_end: value("quiet_end") || null });
  if (body.kind === "email") {
    body.settings = { host: value("host"), port: Number(value("port") || 587), security: form.security.value,
      sender: value("sender"), recipients: value("recipients").split(/[,，\s]+/).filter(Boolean) };
    if (value("username")) body.settings.username = value("username");
    if (value("ca_pem")) body.settings.ca_pem = value("ca_pem");
  } else {
    body.url = value("url");
  }
  return body;
}

async function loadSubs(api, t, box, channelId, users) {
  const subs = await api(`/api/v1/reminders/channels/${channelId}/subscriptions`);
  const byId = new Map(users.map((u) => [u.id, u]));
  const who = (s) => (s.role ? label("role", s.role) : byId.has(s.user_id) ? userName(byId.get(s.user_id)) : `#${s.user_id}`);
  box.innerHTML = subs.map((s) => `<li data-sub="${s.id}">${esc(who(s))} · ${esc(s.rule ? t(`rule_${s.rule}`) : t("rem_all_rules"))}
    <button type="button" data-unsubscribe="${s.id}">${esc(t("rem_unsubscribe"))}</button></li>`).join("");
  box.querySelectorAll("[data-unsubscribe]").forEach((b) => b.addEventListener("click", () =>
    api(`/api/v1/reminders/channels/${channelId}/subscriptions/${b.dataset.unsubscribe}`, { method: "DELETE" })
      .then(() => loadSubs(api, t, box, channelId, users))));
}

export function wireChannels(app, api, { say, report, t, reload, users }) {
  const form = app.querySelector("#add-channel");
  form.kind.addEventListener("change", () => {
    form.querySelector("[data-for=webhook]").hidden = form.kind.value === "email";
    form.querySelector("[data-for=email]").hidden = form.kind.value !== "email";
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    api("/api/v1/reminders/channels", { method: "POST", json: channelBody(form) }).then(reload).catch(report);
  });
  for (const card of app.querySelectorAll("[data-channel]")) {
    const id = card.dataset.channel;
    const subs = card.querySelector("[data-subs]");
    loadSubs(api, t, subs, id, users).catch(report);
    card.querySelector("[data-test]").addEventListener("click", () => api(`/api/v1/reminders/channels/${id}/test`, { method: "POST" })
      .then((d) => (d.state === "sent" ? say(t("rem_test_ok"), true) : say(t("rem_test_failed"))))
      .then(reload).catch(report));
    card.querySelector("[data-remove]").addEventListener("click", () => api(`/api/v1/reminders/channels/${id}`, { method: "DELETE" })
      .then(() => { say(t("rem_removed"), true); return reload(); }).catch(report));
    card.querySelector("[data-subscribe]").addEventListener("submit", (event) => {
      event.preventDefault();
      const f = event.target;
      const [kind, value] = f.who.value.split(":");
      const target = kind === "user" ? { user_id: Number(value) } : { role: value };
      api(`/api/v1/reminders/channels/${id}/subscriptions`, { method: "POST", json: { ...target, rule: f.rule.value || null } })
        .then(() => loadSubs(api, t, subs, id, users)).catch(report);
    });
  }
}
