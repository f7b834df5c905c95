// The fault desk's timeline (steps and comments, oldest first, with who and when), the comment
// form (text and photos or PDFs, uploaded by SHA-256 before the comment names them) and the
// escalate form (a higher level, a later tier, a reason). Every value is escaped.
import { esc, label } from "../supervisor/page.js";

export const TIMELINE_TEXT = {
  "zh-CN": {
    timeline: "处理记录", step: "进展", when: "时间", note: "说明", by: "操作人", comment: "评论", add_comment: "添加评论", comment_text: "评论内容", files: "附件（照片或 PDF）",
    escalate: "升级 / 转交", level: "故障等级", tier: "处理层级", reason: "原因", keep: "不变", level_1: "一级故障", level_2: "二级故障",
    ungraded: "未定级", escalated_level: "等级升为{level}", escalated_tier: "转交{tier}", uploading: "正在上传附件…",
    file_kind: "“{name}”不能作为附件：只接受 JPEG、PNG、WebP 照片或 PDF 文件。",
    file_size: "“{name}”太大（{size} MB），照片最大 {photo} MB，PDF 最大 {pdf} MB。",
  },
  en: {
    timeline: "Timeline", step: "Step", when: "When", note: "Note", by: "By", comment: "Comment", add_comment: "Add the comment", comment_text: "Comment",
    files: "Attachments (photos or PDF)", escalate: "Escalate / hand on", level: "Level", tier: "Tier", reason: "Reason",
    keep: "unchanged", level_1: "Level-1 fault", level_2: "Level-2 fault", ungraded: "not graded",
    escalated_level: "level raised to {level}", escalated_tier: "handed to the {tier}", uploading: "Uploading the attachments…",
    file_kind: "\"{name}\" cannot be attached: only JPEG, PNG or WebP photos or PDF files.",
    file_size: "\"{name}\" is too large ({size} MB): photos up to {photo} MB, PDFs up to {pdf} MB.",
  },
};
// The server's defaults (PHOTO_MAX_BYTES, ATTACHMENT_MAX_BYTES); the server checks again.
const LIMITS = { photo: 15 * 1024 * 1024, pdf: 20 * 1024 * 1024 };
const KINDS = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
const TIERS = ["second_line", "vendor"];

function stepWords(step, t) {
  const words = [label("fault_step", step.step)];
  if (step.assignee) words.push(`→ ${step.assignee.display_name}`);
  if (step.level) words.push(t("escalated_level", { level: t(`level_${step.level}`) }));
  if (step.tier) words.push(t("escalated_tier", { tier: label("fault_tier", step.tier) }));
  return words.join(" ");
}

function fileLink(file) {
  const name = file.name || `${file.sha256.slice(0, 12)}…`;
  const thumb = file.content_type.startsWith("image/") ? `<img src="${esc(file.url)}" alt="${esc(name)}" loading="lazy">` : "";
  return `<a class="file" href="${esc(file.url)}" target="_blank" rel="noopener" data-file="${esc(file.content_type)}">${thumb}${esc(name)}</a>`;
}

/** Steps and comments in one table, oldest first (steps by when they happened, comments by the server's time). */
export function timelineHtml(fault, t, when) {
  const rows = [
    ...fault.steps.map((s) => ({ at: s.at, html: `<tr data-step="${esc(s.step)}"><td>${esc(stepWords(s, t))}</td>
      <td>${esc(when(s.at))}</td><td>${esc(s.user?.display_name ?? "")}</td><td class="wrap">${esc(s.note || "")}</td></tr>` })),
    ...(fault.comments || []).map((c) => ({ at: c.server_time, html: `<tr data-comment="${c.id}"><td>${esc(t("comment"))}</td>
      <td>${esc(when(c.server_time))}</td><td>${esc(c.author.display_name)}</td>
      <td class="wrap">${esc(c.text || "")}${c.attachments.length ? `<div class="files">${c.attachments.map(fileLink).join("")}</div>` : ""}</td></tr>` })),
  ].sort((a, b) => new Date(a.at) - new Date(b.at));
  return `<h3>${esc(t("timeline"))}</h3><table id="steps"><thead><tr><th>${esc(t("step"))}</th><th>${esc(t("when"))}</th>
    <th>${esc(t("by"))}</th><th>${esc(t("note"))}</th></tr></thead><tbody>${rows.map((r) => r.html).join("")}</tbody></table>`;
}

export function commentFormHtml(t) {
  return `<form class="inline" id="comment-form"><label>${esc(t("comment_text"))}<textarea name="text" maxlength="4000" rows="2"></textarea></label>
    <label>${esc(t("files"))}<input type="file" name="files" multiple accept="${KINDS.join(",")}"></label>
    <button class="primary">${esc(t("add_comment"))}</button></form>`;
}

export function escalateFormHtml(fault, t) {
  const levels = [1, 2].filter((n) => n < (fault.level || 3));
  const tiers = TIERS.filter((v) => TIERS.indexOf(v) > TIERS.indexOf(fault.tier));
  const option = (value, words) => `<option value="${esc(value)}">${esc(words)}</option>`;
  return `<p id="escalation">${esc(t("level"))}: ${esc(fault.level ? t(`level_${fault.level}`) : t("ungraded"))} ·
      ${esc(t("tier"))}: ${esc(label("fault_tier", fault.tier))}</p>
    <form class="inline" id="escalate-form"><label>${esc(t("level"))}<select name="level">${option("", t("keep"))}${
      levels.map((n) => option(n, t(`level_${n}`))).join("")}</select></label>
    <label>${esc(t("tier"))}<select name="tier">${option("", t("keep"))}${tiers.map((v) => option(v, label("fault_tier", v))).join("")}</select></label>
    <label>${esc(t("reason"))}<input name="reason" required maxlength="4000"></label><button>${esc(t("escalate"))}</button></form>`;
}

/** A refusal the page words itself (before anything is sent). */
export class FileRefused extends Error {}

function checkFile(file, t) {
  if (!KINDS.includes(file.type)) throw new FileRefused(t("file_kind", { name: file.name }));
  const limit = file.type === "application/pdf" ? LIMITS.pdf : LIMITS.photo;
  if (file.size > limit) {
    const mb = (n) => (n / 1024 / 1024).toFixed(1).replace(/\.0$/, "");
    throw new FileRefused(t("file_size", { name: file.name, size: mb(file.size), photo: mb(LIMITS.photo), pdf: mb(LIMITS.pdf) }));
  }
}

async function sha256(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Check every file, upload each (named by its SHA-256), then post the comment naming them. */
export async function postComment(form, faultId, { api, client, t }) {
  const files = [...form.files.files];
  files.forEach((file) => checkFile(file, t));
  const attachments = [];
  for (const file of files) {
    const bytes = await file.arrayBuffer();
    const sha = await sha256(bytes);
    await client.putBytes(`/api/v1/faults/attachments/${sha}`, bytes, file.type);
    attachments.push({ sha256: sha, name: file.name });
  }
  const json = { attachments };
  if (form.text.value.trim()) json.text = form.text.value.trim();
  return api(`/api/v1/faults/${faultId}/comments`, { method: "POST", json });
}

export async function postEscalation(form, faultId, { api }) {
  const json = { reason: form.reason.value.trim() };
  if (form.level.value) json.level = Number(form.level.value);
  if (form.tier.value) json.tier = form.tier.value;
  return api(`/api/v1/faults/${faultId}/escalate`, { method: "POST", json });
}
