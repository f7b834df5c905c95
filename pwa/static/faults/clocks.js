// One fault's SLA clock as a badge, the same on /faults and /desk: its state (met, running,
// about to breach, breached) and the time left or by how much it is late.
import { esc, label } from "../supervisor/page.js";

/** "1 h 05 min" from seconds. */
export function duration(seconds) {
  const minutes = Math.round(Math.abs(seconds) / 60);
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${String(minutes % 60).padStart(2, "0")} min` : `${minutes} min`;
}

export function overBy(clock) {
  if (!clock?.due_at) return "";
  const end = clock.stopped_at ? new Date(clock.stopped_at) : new Date();
  return duration((end - new Date(clock.due_at)) / 1000);
}

/** The badge; `named` puts the clock's name first (where no column header names it). */
export function clockBadge(name, clock, named = false) {
  if (!clock) return "";
  let extra = "";
  if (clock.state === "breached" && clock.due_at) {
    extra = ` +${overBy(clock)}`;
  } else if (["running", "about_to_breach"].includes(clock.state) && clock.remaining_seconds != null) {
    extra = ` ${duration(clock.remaining_seconds)}`;
  }
  const prefix = named ? `${label("clock", name)}: ` : "";
  return `<span class="clock ${esc(clock.state)}" data-clock="${name}" data-state="${esc(clock.state)}">${esc(prefix)}${esc(label("clock_state", clock.state))}${esc(extra)}</span>`;
}
