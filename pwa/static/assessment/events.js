// The assessment page's event list: each current event with its history (superseded or
// withdrawn, by whom, when, why) and, for supervisors, 更正 (correct) and 撤回 (withdraw).
import { errorHtml, esc, t } from "../supervisor/page.js";

const signed = (n) => (n > 0 ? `+${n}` : String(n));
const when = (iso) => String(iso || "").replace("T", " ").slice(0, 16);

/** Each current event (nobody superseded it) with its older versions, newest first. */
export function chains(items) {
  const byId = new Map(items.map((e) => [e.id, e]));
  return items.filter((e) => !e.superseded_by_id).map((head) => {
    const older = [];
    for (let e = byId.get(head.supersedes_id); e; e = byId.get(e.supersedes_id)) older.push(e);
    return { head, older };
  }).reverse();
}

function historyHtml(head, older) {
  if (!older.length) return "";
  // a version's "why" is the description of the event that replaced it
  const rows = older.map((e, i) => {
    const by = i === 0 ? head : older[i - 1];
    const what = by.withdrawn ? t("was_withdrawn") : t("was_superseded", { id: by.id });
    return `<li data-old="${e.id}">#${e.id} ${esc(signed(e.points))} · ${esc(e.occurred_on)} · ${esc(e.description)}
      <span class="muted">${esc(what)} · ${esc(by.entered_by?.name)} · ${esc(when(by.entered_at))} · ${esc(t("why"))}${esc(by.description)}</span></li>`;
  }).join("");
  return `<details class="history"><summary>${t("history", { n: older.length })}</summary><ul>${rows}</ul></details>`;
}

function eventHtml({ head, older }, writer, ruleName) {
  const state = head.withdrawn ? `<span class="tag">${t("withdrawn")}</span>` : "";
  const buttons = writer && !head.withdrawn
    ? `<button type="button" data-action="correct">${t("correct")}</button>
       <button type="button" data-action="withdraw">${t("withdraw")}</button>` : "";
  return `<li class="ev${head.withdrawn ? " gone" : ""}" data-event="${head.id}">
    <div><b class="pts">${esc(signed(head.points))}</b> #${head.id} ${esc(ruleName(head))}
    · ${esc(head.occurred_on)} · ${esc(head.description)} ${state}
    <span class="muted">${esc(head.entered_by?.name)} · ${esc(when(head.entered_at))}</span> ${buttons}</div>
    ${buttons ? `<form class="withdraw hidden"><label>${t("withdraw_reason")}<input name="reason" required></label>
      <button class="primary">${t("withdraw_confirm")}</button><button type="button" data-action="cancel">${t("cancel")}</button>
      <p class="error"></p></form>` : ""}${historyHtml(head, older)}</li>`;
}

/** Draw the list into #events; onCorrect(event) opens the form, withdrawals post here. */
export function drawEvents({ items, writer, api, ruleName, onCorrect, onChanged, onSignedOut }) {
  const box = document.getElementById("events");
  const list = chains(items);
  box.innerHTML = list.length ? `<ul class="events">${list.map((c) => eventHtml(c, writer, ruleName)).join("")}</ul>`
    : `<p class="muted">${t("no_events")}</p>`;
  if (!writer) return;
  const byId = new Map(items.map((e) => [e.id, e]));
  box.querySelectorAll("li.ev").forEach((row) => {
    const event = byId.get(Number(row.dataset.event));
    const form = row.querySelector("form.withdraw");
    if (!form) return;  // a withdrawn event: nothing left to do
    row.querySelector("[data-action=correct]")?.addEventListener("click", () => onCorrect(event));
    row.querySelector("[data-action=withdraw]")?.addEventListener("click", () => {
      form.classList.remove("hidden");
      form.reason.focus();
    });
    form.querySelector("[data-action=cancel]").addEventListener("click", () => form.classList.add("hidden"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      form.querySelector("button").disabled = true;
      try {
        await api(`/api/v1/assessment/events/${event.id}/supersede`, { method: "POST",
          json: { description: form.reason.value, withdrawn: true } });
        await onChanged();
      } catch (err) {
        if (err.status === 401) return onSignedOut();
        form.querySelector(".error").innerHTML = errorHtml(err);
        form.querySelector("button").disabled = false;
      }
    });
  });
}
