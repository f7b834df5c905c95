// The registry's device import (supervisors, admins): download the template, check a CSV/XLSX
// file (every row's problem in words, nothing written), then import it whole, and print the
// new devices' labels. The server checks the file again on import: all rows or none.
import { esc } from "../supervisor/page.js";
import { hasText, register, t } from "../core/i18n.js";

register({
  "zh-CN": {
    import_title: "导入设备", import_hint: "先下载模板填写；检查通过后才能导入。整份文件要么全部导入，要么一条都不导入。",
    import_template: "下载模板（XLSX）", import_template_csv: "CSV 模板", import_file: "文件（CSV 或 XLSX）",
    import_check: "检查", import_run: "全部导入", import_rows: "共 {rows} 行", import_problems: "{count} 处问题，请修改文件后重新检查：",
    import_ready: "没有问题，可以导入。", import_done: "已导入 {count} 台设备。", import_print: "打印这些设备的标签",
    import_row: "行", import_column: "列", import_problem: "问题", import_preview: "前 {count} 行预览",
    col_tag: "标签号", col_serial: "序列号", col_type_code: "设备类型代码", col_site_code: "单位代码", col_room: "房间",
    col_status: "状态", col_install_date: "安装日期", col_notes: "备注", col_file: "文件", import_auto_tag: "（导入时编号）",
  },
  en: {
    import_title: "Import devices", import_hint: "Fill in the template; import once the check passes. The whole file is imported, or nothing.",
    import_template: "Download the template (XLSX)", import_template_csv: "CSV template", import_file: "File (CSV or XLSX)",
    import_check: "Check", import_run: "Import all", import_rows: "{rows} rows", import_problems: "{count} problem(s); fix the file and check again:",
    import_ready: "No problems: ready to import.", import_done: "Imported {count} devices.", import_print: "Print these devices' labels",
    import_row: "Row", import_column: "Column", import_problem: "Problem", import_preview: "First {count} rows",
    col_tag: "tag", col_serial: "serial", col_type_code: "device type code", col_site_code: "site code", col_room: "room",
    col_status: "status", col_install_date: "install date", col_notes: "notes", col_file: "file", import_auto_tag: "(issued on import)",
  },
});

const column = (name) => (hasText(`col_${name}`) ? t(`col_${name}`) : name);
const problemText = (p) => (hasText(`row_${p.code}`) ? t(`row_${p.code}`, p.params) : t("row_other"));

/** The section's HTML (only for managers). */
export function importHtml() {
  return `<section id="import"><h2>${esc(t("import_title"))}</h2><p class="hint">${esc(t("import_hint"))}</p>
    <p><a href="/api/v1/device-import/template?format=xlsx" download>${esc(t("import_template"))}</a> ·
      <a href="/api/v1/device-import/template?format=csv" download>${esc(t("import_template_csv"))}</a></p>
    <form id="import-form"><label>${esc(t("import_file"))} <input type="file" name="file" accept=".csv,.xlsx" required></label>
      <button type="submit">${esc(t("import_check"))}</button>
      <button type="button" id="import-run" class="primary" disabled>${esc(t("import_run"))}</button></form>
    <div id="import-result" aria-live="polite"></div></section>`;
}

function problemsHtml(check) {
  const head = `<p>${esc(t("import_rows", { rows: check.rows }))} · `;
  if (check.ready) return `${head}<span class="ok">${esc(t("import_ready"))}</span></p>`;
  const rows = check.problems.map((p) => `<tr data-row="${p.row}"><td>${p.row}</td><td>${esc(column(p.column))}</td>
    <td>${esc(problemText(p))}</td></tr>`).join("");
  return `${head}${esc(t("import_problems", { count: check.problems.length }))}</p><div class="scroll"><table id="import-problems">
    <thead><tr><th>${esc(t("import_row"))}</th><th>${esc(t("import_column"))}</th><th>${esc(t("import_problem"))}</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

function doneHtml(done) {
  const tags = done.tags.map((tag) => `<a href="/devices/${encodeURIComponent(tag)}">${esc(tag)}</a>`).join(" ");
  return `<p class="ok" id="import-done">${esc(t("import_done", { count: done.imported }))}</p><p>${tags}</p>
    <p><a href="/labels?tags=${encodeURIComponent(done.tags.join(","))}">${esc(t("import_print"))}</a></p>`;
}

/** A problem with the file itself (wrong kind, no rows): the error's words, the field named. */
function fileProblem(error, report) {
  const rows = error.body?.error?.errors?.rows;
  if (!rows) return report(error);
  return problemsHtml({ rows: "?", ready: false, problems: rows });
}

/** Wire the form: check on submit, import on the button; onImported() refreshes the lists. */
export function wireImport(app, client, { report, onImported }) {
  const form = app.querySelector("#import-form");
  if (!form) return;
  const result = app.querySelector("#import-result");
  const run = app.querySelector("#import-run");
  const send = (path) => client.request("POST", `/api/v1/device-import${path}`, { body: new FormData(form) });
  form.file.addEventListener("change", () => { run.disabled = true; result.innerHTML = ""; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    run.disabled = true;
    try {
      const { body } = await send("/check");
      result.innerHTML = problemsHtml(body);
      run.disabled = !body.ready;
    } catch (error) { result.innerHTML = ""; report(error); }
  });
  run.addEventListener("click", async () => {
    run.disabled = true;
    try {
      const { body } = await send("");
      result.innerHTML = doneHtml(body);
      form.reset();
      await onImported();
    } catch (error) {
      const html = fileProblem(error, report);
      if (html) result.innerHTML = html;
    }
  });
}
