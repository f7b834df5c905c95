// Shared state, text lookup, escaping and the fetch wrapper (CSRF header on writes).
import { TEXT } from "./i18n.js";

export const state = { lang: localStorage.getItem("xj-lang") || "zh", csrf: null, user: null, sites: null };
export const t = (key, vars = {}) => String(TEXT[state.lang][key] ?? key).replace(/\{(\w+)\}/g, (_, k) => vars[k]);
export const esc = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

export async function api(path, options = {}) {
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

/** A local (China Standard Time) wall-clock text of an ISO time. */
export function when(iso) {
  if (!iso) return "";
  const local = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  return local.toISOString().slice(0, 16).replace("T", " ");
}

/** "1 h 05 min" from seconds. */
export function duration(seconds) {
  const minutes = Math.round(Math.abs(seconds) / 60);
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${String(minutes % 60).padStart(2, "0")} min` : `${minutes} min`;
}

export function siteName(siteId) {
  const site = state.sites?.get(siteId);
  return site ? `${site.name} (${site.code})` : siteId ?? "";
}
