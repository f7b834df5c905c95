// The faults page's state and API (from the shared supervisor page module) and its formatting helpers.
import { TEXT } from "./i18n.js";
import { TIMELINE_TEXT } from "../desk/timeline.js";
import { createPage, errorHtml, esc, getLang, label } from "../supervisor/page.js";

export { errorHtml, esc, getLang, label };
export { presenceText, reasonText } from "../core/index.js";
export { duration } from "./clocks.js";
// The fault timeline's words (shared with the desk) under this page's own.
for (const lang of Object.keys(TEXT)) TEXT[lang] = { ...TIMELINE_TEXT[lang], ...TEXT[lang] };
export const { state, t, api, client } = createPage(TEXT, { sites: null });

/** A local (China Standard Time) wall-clock text of an ISO time. */
export function when(iso) {
  if (!iso) return "";
  const local = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  return local.toISOString().slice(0, 16).replace("T", " ");
}

export function siteName(siteId) {
  const site = state.sites?.get(siteId);
  return site ? `${site.name} (${site.code})` : siteId ?? "";
}
