// The people page (/people): everyone changes their own password (the current one asked for; the
// server's password rule, server/services/core/passwords.py, refuses a weak one); admins also list
// users, create one, change a role, disable or enable, and set a new password.
import { createPage, esc, label, messageLine, startPage } from "../supervisor/page.js";

const ROLES = ["viewer", "engineer", "supervisor", "admin"];
const TEXT = {
  "zh-CN": {
    title: "人员与密码", own: "修改我的密码", current: "当前密码", newPassword: "新密码", save: "保存",
    changed: "密码已修改；其他设备上的登录已退出。", users: "用户", username: "用户名", name: "姓名",
    role: "角色", active: "状态", enabled: "启用", disabled: "已停用", create: "新建用户", created: "用户已创建。",
    disable: "停用", enable: "启用", reset: "重设密码", resetPrompt: "为 {user} 输入新密码：", saved: "已保存。",
    policy: "至少 10 个字符，不能是用户名，也不能是常见密码。",
  },
  en: {
    title: "People and passwords", own: "Change my password", current: "Current password", newPassword: "New password",
    save: "Save", changed: "Password changed; your other sessions were signed out.", users: "Users",
    username: "Username", name: "Name", role: "Role", active: "Status", enabled: "Active", disabled: "Disabled",
    create: "Create user", created: "User created.", disable: "Disable", enable: "Enable", reset: "Reset password",
    resetPrompt: "New password for {user}:", saved: "Saved.",
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
    <section id="admin" hidden><h2>${esc(t("users"))}</h2>
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
    <td>${esc(u.active ? t("enabled") : t("disabled"))}</td>
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
  body.querySelectorAll("[data-reset]").forEach((b) => b.addEventListener("click", () => {
    const password = prompt(t("resetPrompt", { user: b.dataset.name }));
    if (password) patch(b.dataset.reset, { password });
  }));
}

const { renderLogin } = startPage({ state, t, api, client, app, renderShell, page: "people" });
