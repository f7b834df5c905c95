// The office pages' base (coverage, faults, labels, assessment, reports, handover, devices), on the front-end core (pwa/static/core/):
// session, the sign-in form, the shared top bar (the office pages, the user, sign-out, the
// language switch, the phone's language choice included), escaping, the API wrapper.
import {t, register, getLang, setLang, label} from "../core/index.js";
import {createClient, errorText, describeError} from "../core/api.js";
import {fieldFor} from "../core/nav.js";

export { t, label, getLang, errorText, describeError };

export const esc = (value) => String(value ?? "").replace(/[&<>"']/g,
  (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** The page's state (plus `extra` fields), its strings registered with the core, and api(). */
export function createPage(TEXT, extra = {}) {
  register(TEXT);
  const state = { csrf: null, user: null, ...extra };
  const client = createClient({ csrf: async () => state.csrf, refresh: async () => { await readSession(state, client); } });
  /** GET (or options.method) path; JSON in options.body (a string) or options.json; the parsed answer. */
  async function api(path, options = {}) {
    const method = options.method || "GET";
    const json = options.json ?? (options.body ? JSON.parse(options.body) : undefined);
    return (await client.request(method, path, { json })).body;
  }
  return { state, t, api, client };
}

async function readSession(state, client) {
  const { body } = await client.get("/api/v1/auth/me");
  state.csrf = body.csrf_token;
  state.user = body.user;
  state.currentPasswordRequired = body.current_password_required;
  return body;
}

/** For loads that may overlap (a second choice made before the first answer came): each call
 *  starts one and returns a check that stays true only while no later one has started, so
 *  only the latest load draws. */
export function latestOnly() {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}

/** A server error for an office page: the code in words; the server's prose as a detail line
 *  (open in English mode, collapsed in Chinese). HTML, every value escaped. */
/** The page's message line (#message): `say` shows ok or an error text with details; `report`
 * shows an API error in words (the server's prose as a detail), or the sign-in when signed out. */
export function messageLine(t, onSignedOut) {
  function say(text, ok = false, detail = []) {
    const box = document.querySelector("#message");
    box.textContent = text;
    if (detail.length) {
      const more = Object.assign(document.createElement("details"), { className: "detail", open: getLang() === "en" });
      more.append(Object.assign(document.createElement("summary"), { textContent: t("details") }),
                  ...detail.map((line) => Object.assign(document.createElement("code"), { textContent: line })));
      box.append(more);
    }
    box.className = ok ? "ok" : "";
    box.hidden = !text;
  }
  function report(error) {
    if (error.status === 401) return onSignedOut();
    const { text, fields, detail } = describeError(error);
    say(text, false, [...fields, detail].filter((x) => x && x !== text));
  }
  return { say, report };
}

export function errorHtml(error) {
  const { text, fields, detail } = describeError(error);
  const lines = [...fields, detail].filter((x) => x && x !== text);
  if (!lines.length) return esc(text);
  return `${esc(text)}<details class="detail"${getLang() === "en" ? " open" : ""}><summary>${esc(t("details"))}</summary>`
    + `${lines.map((line) => `<code>${esc(line)}</code>`).join("")}</details>`;
}

/** The office pages and who may open each, from the server's computed manifest
 *  (pwa/precache.py OFFICE_PAGES and OFFICE_PAGE_ROLES: one list). */
async function officePages() {
  try {
    await import("/static/precache-manifest.js");
  } catch { /* offline or a test double without it: no links, the page still works */ }
  return { pages: self.__XJ_OFFICE_PAGES || [], roles: self.__XJ_OFFICE_ROLES || {} };
}

/** Fill the top bar, the one every office page shares: links to the pages the user's role may
 *  open, the user and role, sign-out (here and everywhere), the language switch. */
async function topBar({ state, page, onLanguage, onSignOut }) {
  const header = document.querySelector("header");
  if (!header.querySelector("nav")) {
    header.insertAdjacentHTML("beforeend", `<nav class="office-nav"></nav><span id="who"></span>
      <a id="own-password" href="/people#own" hidden></a>
      <button type="button" id="logout" hidden></button><button type="button" id="logout-all" hidden></button>
      <button id="lang" type="button"></button>`);
    header.querySelector("#lang").addEventListener("click", onLanguage);
    header.querySelector("#logout").addEventListener("click", () => onSignOut(false));
    header.querySelector("#logout-all").addEventListener("click", () => onSignOut(true));
  }
  const nav = header.querySelector("nav");
  const { pages, roles } = await officePages();
  const mayOpen = (name) => state.user && (!roles[name] || roles[name].includes(state.user.role));
  nav.innerHTML = pages.filter(mayOpen).map((name) =>
    `<a href="/${esc(name)}" data-page="${esc(name)}"${name === page ? ' aria-current="page"' : ""}>${esc(t(`nav_${name}`))}</a>`).join("");
  nav.setAttribute("aria-label", t("nav_office"));
  nav.hidden = !state.user;
  header.querySelector("#lang").textContent = t("other_language");
  const own = header.querySelector("#own-password");
  own.textContent = t("pw_change_link");
  own.hidden = !state.user || Boolean(state.user.must_change_password);
  for (const [id, key] of [["#logout", "logout"], ["#logout-all", "logout_all"]]) {
    const button = header.querySelector(id);
    button.textContent = t(key);
    button.hidden = !state.user;
  }
  header.querySelector("#who").textContent = state.user
    ? `${state.user.display_name || state.user.username} (${label("role", state.user.role)})` : "";
}

/** Sign in when needed, then renderShell(); returns renderLogin for views that meet a 401. */
export function startPage({ state, t: _t, api, client, app, renderShell, page = location.pathname.split("/")[1] }) {
  const shell = () => {
    if (state.user?.must_change_password) { bar(); renderPasswordChange(); return; }
    const elsewhere = fieldFor(state.user?.role, location.pathname);
    if (elsewhere) { location.replace(elsewhere); return; }
    bar();
    renderShell();
  };
  /** The server answers nothing else until a new password is chosen (403
   *  password_change_required): this form instead of the page, then the page. */
  function renderPasswordChange(message = "") {
    const current = state.currentPasswordRequired !== false;
    app.innerHTML = `<form class="login" id="password-change"><h2>${esc(t("pw_change_title"))}</h2>
      <p class="hint">${esc(t(current ? "pw_change_first" : "pw_change_code"))}</p>
      ${current ? `<label>${esc(t("pw_current"))}<input name="current_password" type="password" autocomplete="current-password" required></label>` : ""}
      <label>${esc(t("pw_new"))}<input name="new_password" type="password" autocomplete="new-password" required></label>
      <label>${esc(t("pw_repeat"))}<input name="repeat" type="password" autocomplete="new-password" required></label>
      <p class="hint">${esc(t("pw_policy"))}</p>
      <button type="submit" class="primary">${esc(t("pw_save"))}</button><p class="error" role="alert">${message}</p></form>`;
    document.getElementById("password-change").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = event.target;
      if (form.new_password.value !== form.repeat.value) { renderPasswordChange(esc(t("pw_mismatch"))); return; }
      const json = { new_password: form.new_password.value };
      if (form.current_password) json.current_password = form.current_password.value;
      try {
        await api("/api/v1/auth/password", { method: "POST", json });
        await readSession(state, client);
        shell();
      } catch (error) {
        if (error.status === 401) renderLogin(); else renderPasswordChange(errorHtml(error));
      }
    });
  }
  function renderLogin(message = "") {
    state.user = null;
    bar();
    app.innerHTML = `<form class="login" id="login">
      <label>${t("username")}<input name="username" autocomplete="username" required></label>
      <label>${t("password")}<input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit" class="primary">${t("signin")}</button><p class="error" role="alert">${message}</p></form>`;
    document.getElementById("login").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = event.target;
      try {
        const session = await api("/api/v1/auth/login", { method: "POST",
          json: { username: form.username.value, password: form.password.value } });
        state.csrf = session.csrf_token;
        state.user = session.user;
        state.currentPasswordRequired = session.current_password_required;
        shell();
      } catch (error) {
        renderLogin(error.status === 401 ? esc(t("login_wrong")) : errorHtml(error));
      }
    });
  }

  /** Sign out: this session ends on the server (everywhere: every session of the user). */
  async function signOut(everywhere) {
    const path = everywhere ? "/api/v1/auth/logout-all" : "/api/v1/auth/logout";
    try { await api(path, { method: "POST" }); } catch { /* signed out already */ }
    renderLogin();
  }

  function applyLanguage() {
    document.documentElement.lang = getLang();
    document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
    document.title = t("title");
  }

  function onLanguage() {
    setLang(getLang() === "en" ? "zh-CN" : "en");
    applyLanguage();
    if (state.user) shell(); else renderLogin();
  }

  const bar = () => topBar({ state, page, onLanguage, onSignOut: signOut });

  (async () => {
    applyLanguage();
    try {
      await readSession(state, client);
      shell();
    } catch (error) {
      renderLogin(error.status === 401 ? "" : errorHtml(error));
    }
  })();
  return { renderLogin };
}
