// The month calendar and the list of meetings: China-time days (the bureau's clock, whatever the
// browser's zone), today marked, each meeting a button that opens it. Pure HTML builders.
import { esc, getLang, label, t } from "../supervisor/page.js";

const ZONE = "Asia/Shanghai";
const CST_MS = 8 * 3600 * 1000;

/** "YYYY-MM-DD" of an instant on China's calendar. */
export const dayKey = (iso) => new Date(new Date(iso).getTime() + CST_MS).toISOString().slice(0, 10);
export const todayKey = () => dayKey(new Date().toISOString());
export const monthKey = (day) => day.slice(0, 7);

/** The month after (step 1) or before (step -1) "YYYY-MM". */
export function shiftMonth(month, step) {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + step, 1));
  return d.toISOString().slice(0, 7);
}

const locale = () => (getLang() === "en" ? "en-GB" : "zh-CN");
export const when = (iso) => (iso ? new Date(iso).toLocaleString(locale(), { timeZone: ZONE, dateStyle: "short", timeStyle: "short" }) : "");
export const clock = (iso) => new Date(iso).toLocaleTimeString(locale(), { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });

/** A meeting's value for a datetime-local input (China time). */
export const localInput = (iso) => new Date(new Date(iso).getTime() + CST_MS).toISOString().slice(0, 16);
/** A datetime-local value (China time) as an aware instant; "" when empty. */
export const fromLocal = (value) => (value ? new Date(`${value}:00+08:00`).toISOString() : "");

export function monthTitle(month) {
  const [year, m] = month.split("-").map(Number);
  return t("month_of", { year, month: m });
}

function meetingButton(m) {
  const cancelled = m.state === "cancelled";
  const extra = cancelled ? ` · ${label("meeting_state", m.state)}` : "";
  return `<li><button type="button" class="meeting${cancelled ? " cancelled" : ""}${m.major_event ? " major" : ""}"
    data-meeting="${m.id}">${esc(clock(m.starts_at))} ${esc(m.title)}${esc(extra)}</button></li>`;
}

/** The month as a Monday-first grid, each day's meetings in it, today marked. */
export function calendarHtml(month, meetings) {
  const byDay = new Map();
  for (const m of meetings) {
    const key = dayKey(m.starts_at);
    byDay.set(key, [...(byDay.get(key) || []), m]);
  }
  const [y, mo] = month.split("-").map(Number);
  const first = new Date(Date.UTC(y, mo - 1, 1));
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const today = todayKey();
  const names = t("weekdays").split(",");
  const cells = [...Array(lead).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) {
    weeks.push(`<tr>${cells.slice(i, i + 7).map((d) => {
      if (d === null) return `<td class="empty"></td>`;
      const key = `${month}-${String(d).padStart(2, "0")}`;
      const isToday = key === today;
      const list = byDay.get(key) || [];
      return `<td data-day="${key}"${isToday ? ' class="today" aria-current="date"' : ""}>
        <span class="day">${d}${isToday ? ` <b class="today-mark">${esc(t("today"))}</b>` : ""}</span>
        ${list.length ? `<ul>${list.map(meetingButton).join("")}</ul>` : ""}</td>`;
    }).join("")}</tr>`);
  }
  return `<table class="month"><caption>${esc(monthTitle(month))}</caption>
    <thead><tr>${names.map((n) => `<th scope="col">${esc(t("weekday_prefix"))}${esc(n)}</th>`).join("")}</tr></thead>
    <tbody>${weeks.join("")}</tbody></table>`;
}

/** The meetings as a table: when, title, kind, host, sites, engineers, state. */
export function listHtml(meetings) {
  if (!meetings.length) return `<p class="muted">${esc(t("none"))}</p>`;
  const rows = meetings.map((m) => `<tr data-row="${m.id}"${m.state === "cancelled" ? ' class="cancelled"' : ""}>
    <td>${esc(when(m.starts_at))}–${esc(clock(m.ends_at))}</td>
    <td><button type="button" class="link" data-meeting="${m.id}">${esc(m.title)}</button>${m.major_event ? ` <span class="tag">${esc(t("major_flag"))}</span>` : ""}</td>
    <td>${esc(label("meeting_kind", m.kind))}${m.platform ? ` · ${esc(label("meeting_platform", m.platform))}` : ""}</td>
    <td>${esc(m.host_site_name)}${m.host_room_name ? ` · ${esc(m.host_room_name)}` : ""}</td><td>${m.site_count}</td>
    <td>${esc(m.engineers.map((e) => e.name).join("、"))}</td><td>${esc(label("meeting_state", m.state))}</td></tr>`).join("");
  return `<table id="meeting-list"><thead><tr><th>${esc(t("when"))}</th><th>${esc(t("f_title"))}</th><th>${esc(t("kind"))}</th>
    <th>${esc(t("host"))}</th><th>${esc(t("sites_n"))}</th><th>${esc(t("engineers"))}</th><th>${esc(t("state"))}</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}
