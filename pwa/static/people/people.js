// The people page (/people): everyone changes their own password (the current one asked for; the
// server's password rule, server/services/core/passwords.py, refuses a weak one); admins also list
// users, create one, change a role, disable or enable, and issue a one-time sign-in code for
// someone who forgot the password (shown here once; the server keeps only its hash).
import { createPage, esc, getLang, label, messageLine, startPage } from "../supervisor/page.js";

const ROLES = ["viewer", "engineer", "supervisor", "admin"];
const TEXT = {
  "zh-CN": {
    title: "人员与密码", own: "修改我的密码", current: "当前密码", newPassword: "新密码", save: "保存",
    changed: "密码已修改；其他设备上的登录已退出。", users: "用户", username: "用户名", name: "姓名",
    role: "角色", active: "状态", enabled: "启用", disabled: "已停用", create: "新建用户", created: "用户已创建。",
    disable: "停用", enable: "启用", reset: "生成一次性登录码", saved: "已保存。",
    resetConfirm: "为 {user} 生成一次性登录码？{user} 的旧密码将失效，所有设备上的登录都会退出。",
    resetShown: "{user} 的一次性登录码（只显示这一次）：", resetHint: "请当面或打电话告诉 {user}，不要通过聊天工具发送。有效期至 {until}，只能用一次；用它登录后须设置新密码。",
    copy: "复制", copied: "已复制。", mustChange: "须设置新密码", codeUntil: "登录码有效期至 {until}",
    policy: "至少 10 个字符，不能是用户名，也不能是常见密码。",
  },
  en: {
    title: "People and passwords", own: "Change my password", current: "Current password", newPassword: "New password",
    save: "Save", changed: "Password changed; your other sessions were signed out.", users: "Users",
    username: "Username", name: "Name", role: "Role", active: "Status", enabled: "Active", disabled: "Disabled",
    create: "Create user", created: "User created.", disable: "Disable", enable: "Enable", reset: "Issue one-time code",
    saved: "Saved.", resetConfirm: "Issue a one-time sign-in code for {user}? Their old password stops working and every session of theirs ends.",
    resetShown: "One-time sign-in code for {user} (shown only this once):", resetHint: "Tell it to {user} in person or by phone, not by chat. Valid until {until}, once; after signing in with it a new password must be chosen.",
    copy: "Copy", copied: "Copied.", mustChange: "must choose a new password", codeUntil: "code valid until {until}",
    policy: "At least 10 characters, not the username, not a common password.",
  },
};
const { state, t, api, client } = createPage(TEXT);
const app = document.getElementById("app");
const { say, report } = messageLine(t, () => renderLogin());
const roleOptions = (chosen) => ROLES.map((r) =>
  `<option value="${r}"${r === chosen ? " selected" : ""}>${esc(label("role", r))}</option>`).join("");

function renderShell() {
  say("");
  document.title = `${t("title")} · 巡检`;
  document.querySelector("h1").textContent = t("title");
  app.innerHTML = `<section><h2>${esc(t("own"))}</h2><form id="own">
      <label>${esc(t("current"))} <input name="current_password" type="password" autocomplete="current-password" required></label>
      <label>${esc(t("newPassword"))} <input name="new_password" type="password" autocomplete="new-password" required></label>
      <p class="hint">${esc(t("policy"))}</p><button type="submit" class="primary">${esc(t("save"))}</button></form></section>
    <section id="admin" hidden><h2>${esc(t("users"))}</h2><div id="reset-code" role="status" hidden></div>
      <div class="scroll"><table id="users"><thead><tr><th>${esc(t("username"))}</th><th>${esc(t("name"))}</th>
        <th>${esc(t("role"))}</th><th>${esc(t("active"))}</th><th></th></tr></thead><tbody></tbody></table></div>
      <h2>${esc(t("create"))}</h2><form id="create">
        <label>${esc(t("username"))} <input name="username" required autocomplete="off"></label>
        <label>${esc(t("name"))} <input name="display_name" required></label>
        <label>${esc(t("role"))} <select name="role">${roleOptions("engineer")}</select></label>
        <label>${esc(t("newPassword"))} <input name="password" type="password" autocomplete="new-password" required></label>
        <button type="submit" class="primary">${esc(t("create"))}</button></form></section>`;
  app.querySelector("#own").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      await api("/api/v1/auth/password", { method: "POST", json: {
        current_password: form.current_password.value, new_password: form.new_password.value } });
      form.reset();
      say(t("changed"), true);
    } catch (error) { report(error); }
  });
  if (state.user.role !== "admin") return;
  app.querySelector("#admin").hidden = false;
  app.querySelector("#create").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const json = Object.fromEntries(["username", "display_name", "role", "password"].map((k) => [k, form[k].value]));
    try {
      await api("/api/v1/users", { method: "POST", json });
      form.reset();
      say(t("created"), true);
      await loadUsers();
    } catch (error) { report(error); }
  });
  loadUsers().catch(report);
}

async function loadUsers() {
  const page = await api("/api/v1/users?per_page=500");
  const body = app.querySelector("#users tbody");
  body.innerHTML = page.items.map((u) => `<tr data-user="${esc(u.username)}"><td>${esc(u.username)}</td>
    <td>${esc(u.display_name)}</td><td><select data-id="${u.id}" aria-label="${esc(t("role"))} ${esc(u.username)}">${roleOptions(u.role)}</select></td>
    <td>${esc(u.active ? t("enabled") : t("disabled"))}${u.must_change_password ? `<br><small>${esc(t("mustChange"))}</small>` : ""}
      ${u.reset_code_expires_at ? `<br><small>${esc(t("codeUntil", { until: when(u.reset_code_expires_at) }))}</small>` : ""}</td>
    <td><button type="button" data-toggle="${u.id}" data-active="${u.active}">${esc(u.active ? t("disable") : t("enable"))}</button>
    <button type="button" data-reset="${u.id}" data-name="${esc(u.username)}">${esc(t("reset"))}</button></td></tr>`).join("");
  const patch = async (id, json) => {
    try {
      await api(`/api/v1/users/${id}`, { method: "PATCH", json });
      say(t("saved"), true);
    } catch (error) { report(error); }
    await loadUsers();
  };
  body.querySelectorAll("select").forEach((s) => s.addEventListener("change", () => patch(s.dataset.id, { role: s.value })));
  body.querySelectorAll("[data-toggle]").forEach((b) => b.addEventListener("click", () =>
    patch(b.dataset.toggle, { active: b.dataset.active !== "true" })));
  body.querySelectorAll("[data-reset]").forEach((b) => b.addEventListener("click", () =>
    issueCode(b.dataset.reset, b.dataset.name)));
}

const when = (iso) => new Date(iso).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN",
  { dateStyle: "medium", timeStyle: "short" });

/** Issue a one-time code and show it once, with a copy button; the list shows it is pending. */
async function issueCode(id, name) {
  if (!confirm(t("resetConfirm", { user: name }))) return;
  const box = app.querySelector("#reset-code");
  try {
    const answer = await api(`/api/v1/users/${id}/reset-code`, { method: "POST" });
    say("");
    box.innerHTML = `<p>${esc(t("resetShown", { user: name }))}</p>
      <p><code class="code" data-code>${esc(answer.code)}</code> <button type="button" data-copy>${esc(t("copy"))}</button></p>
      <p class="hint">${esc(t("resetHint", { user: name, until: when(answer.expires_at) }))}</p>`;
    box.hidden = false;
    box.querySelector("[data-copy]").addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(answer.code); say(t("copied"), true); } catch { /* select it by hand */ }
    });
  } catch (error) { box.hidden = true; report(error); }
  await loadUsers();
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell, page: "people" });
