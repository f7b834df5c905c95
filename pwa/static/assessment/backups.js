// The assessment page's backups: the latest runs (the evidence of the software form's backup
// item), each with its state in words, its file, size and rows, how long its restore check took.
import { errorHtml, esc, getLang, label, t } from "../supervisor/page.js";

const when = (iso) => String(iso || "").replace("T", " ").slice(0, 16);
const mb = (n) => (n == null ? "—" : `${(n / 1048576).toFixed(1)} MB`);
const rows = (counts) => Object.values(counts || {}).reduce((a, b) => a + b, 0);

function rowHtml(run) {
  // The reason is the server's English prose: shown only on the English screen.
  const reason = getLang() === "en" && run.reason ? `<div class="muted">${esc(run.reason)}</div>` : "";
  return `<tr data-backup="${run.id}" data-state="${esc(run.state)}"><td>#${run.id}</td><td>${esc(when(run.started_at))}</td>
    <td class="${run.state === "verified" ? "ok" : "bad"}">${esc(label("backup_state", run.state))}${reason}</td>
    <td><code>${esc(run.file_name || "—")}</code>${run.pruned_at ? ` <span class="muted">${t("backup_pruned")}</span>` : ""}</td>
    <td>${mb(run.size)}</td><td>${rows(run.counts)}</td><td>${run.photos ?? "—"}</td>
    <td>${run.check_seconds == null ? "—" : `${run.check_seconds} s`}</td></tr>`;
}

/** Fill #backups with the latest runs (independent of the period: the last ten). */
export async function drawBackups(api) {
  const box = document.getElementById("backups");
  if (!box) return;
  try {
    const page = await api("/api/v1/backups?per_page=10");
    if (!page.items.length) {
      box.innerHTML = `<p class="muted">${t("no_backups")}</p>`;
      return;
    }
    const head = ["backup_id", "backup_at", "backup_state", "backup_file", "backup_size", "backup_rows",
      "backup_photos", "backup_check"].map((k) => `<th>${t(k)}</th>`).join("");
    box.innerHTML = `<table class="backups"><thead><tr>${head}</tr></thead><tbody>${page.items.map(rowHtml).join("")}</tbody></table>`;
  } catch (error) {
    box.innerHTML = errorHtml(error);
  }
}
