// What the supervisor pages (coverage, faults) share: session state, text lookup, escaping, the API
// wrapper (CSRF header on writes), the sign-in form and the language switch. No build, no CDN.

export const esc = (value) => String(value ?? "").replace(/[&<>"']/g,
  (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** The page's state (plus `extra` fields), its text lookup with {name} placeholders, and api(). */
export function createPage(TEXT, extra = {}) {
  const state = { lang: localStorage.getItem("xj-lang") || "zh", csrf: null, user: null, ...extra };
  const t = (key, vars = {}) => String(TEXT[state.lang][key] ?? key)
    .replace(/\{(\w+)\}/g, (match, name) => (name in vars ? vars[name] : match));

  async function api(path, options = {}) {
    const headers = { Accept: "application/json", ...(options.headers || {}) };
    if (options.body) headers["Content-Type"] = "application/json";
    if (options.method && options.method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
    const response = await fetch(path, { credentials: "same-origin", ...options, headers });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const details = body.error?.errors ? "\n" + JSON.stringify(body.error.errors) : "";
      const error = new Error(body.error ? `${body.error.message}${details}` : `HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }
  return { state, t, api };
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

/** Sign in when needed, then renderShell(); returns renderLogin for views that meet a 401. */
export function startPage({ state, t, api, app, renderShell }) {
  function renderLogin(message = "") {
    app.innerHTML = `<form class="login" id="login">
      <label>${t("username")}<input name="username" autocomplete="username" required></label>
      <label>${t("password")}<input name="password" type="password" autocomplete="current-password" required></label>
      <button class="primary">${t("signin")}</button><p class="error">${esc(message)}</p></form>`;
    document.getElementById("login").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = event.target;
      try {
        const session = await api("/api/v1/auth/login", { method: "POST",
          body: JSON.stringify({ username: form.username.value, password: form.password.value }) });
        state.csrf = session.csrf_token;
        state.user = session.user;
        renderShell();
      } catch (error) { renderLogin(error.message); }
    });
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.getElementById("lang").textContent = state.lang === "zh" ? "English" : "中文";
    document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
    document.title = t("title");
  }

  document.getElementById("lang").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem("xj-lang", state.lang);
    applyLanguage();
    if (state.user) renderShell(); else renderLogin();
  });

  (async () => {
    applyLanguage();
    try {
      const session = await api("/api/v1/auth/me");
      state.csrf = session.csrf_token;
      state.user = session.user;
      renderShell();
    } catch (error) {
      renderLogin(error.status === 401 ? "" : error.message);
    }
  })();
  return { renderLogin };
}
