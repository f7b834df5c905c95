/** Small hand-written SVG charts for the office pages (no library, no CDN): grouped or stacked
 *  bars, lines, horizontal bars. Each returns an SVG string with role="img", a <title> and a
 *  <desc> for screen readers, and a <title> on every mark (its value on hover or long press).
 *  The SVG scales to its box (viewBox, width 100%), so it stays readable on a phone; the
 *  caller passes every word already translated. */

export const PALETTE = ['#1565c0', '#2e7d32', '#ef6c00', '#c62828', '#6a1b9a', '#00838f', '#5d4037'];

const esc = (value) => String(value ?? '').replace(/[&<>"']/g,
  (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);

let counter = 0;
const nextId = () => `xj-chart-${++counter}`;

/** A round upper bound for an axis: 1, 2, 5 × 10^n at or above the largest value (at least 1). */
export function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function frame({title, desc, width, height}) {
  const id = nextId();
  return {
    open: `<svg class="xj-chart" role="img" viewBox="0 0 ${width} ${height}" width="100%"
      preserveAspectRatio="xMidYMid meet" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg">
      <title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>`,
    close: '</svg>',
  };
}

const LEGEND_STEP = 100;  // room for a swatch and about seven characters

const perRow = (width) => Math.max(1, Math.floor((width - 8) / LEGEND_STEP));

function legend(series, y, width) {
  return series.map((s, i) => {
    const x = 4 + (i % perRow(width)) * LEGEND_STEP;
    const row = y + Math.floor(i / perRow(width)) * 16;
    return `<g class="legend"><rect x="${x}" y="${row - 9}" width="10" height="10" fill="${s.color || PALETTE[i % PALETTE.length]}"/>
      <text x="${x + 14}" y="${row}" font-size="12">${esc(s.name)}</text></g>`;
  }).join('');
}

function legendRows(series, width) {
  return Math.ceil(series.length / perRow(width));
}

function yAxis(max, top, bottom, left, right, format) {
  // The middle line only when it reads differently from both ends (no "0, 1, 1" for a max of 1).
  const ticks = [0, 0.5, 1].filter((f) => f !== 0.5 || ![format(0), format(max)].includes(format(max / 2)));
  return ticks.map((f) => {
    const y = bottom - f * (bottom - top);
    return `<line x1="${left}" x2="${right}" y1="${y}" y2="${y}" stroke="#ccc" stroke-width="0.5"/>
      <text x="${left - 4}" y="${y + 4}" font-size="12" text-anchor="end">${esc(format(max * f))}</text>`;
  }).join('');
}

/** Vertical bars, one group per label: series side by side, or stacked (stacked: true, e.g. the
 *  response-time bands). series: [{name, values, color?}]; format(value) writes a value. */
export function barChart({title, desc = '', labels, series, stacked = false, format = (v) => String(Math.round(v)), max = null}) {
  const width = Math.max(320, 40 + labels.length * (stacked ? 26 : 14 + 10 * series.length));
  const top = 16 + 16 * legendRows(series, width), bottom = 170, left = 38, right = width - 6;
  const totals = labels.map((_, i) => stacked
    ? series.reduce((sum, s) => sum + (s.values[i] || 0), 0)
    : Math.max(0, ...series.map((s) => s.values[i] || 0)));
  const top_ = max ?? niceMax(Math.max(0, ...totals));
  const slot = (right - left) / Math.max(1, labels.length);
  const barW = stacked ? slot * 0.7 : (slot * 0.8) / series.length;
  const scale = (v) => ((v || 0) / top_) * (bottom - top);
  const {open, close} = frame({title, desc, width, height: bottom + 22});
  const marks = labels.map((labelText, i) => {
    let base = bottom;
    const bars = series.map((s, k) => {
      const v = s.values[i] || 0, h = scale(v);
      const x = left + i * slot + (stacked ? slot * 0.15 : slot * 0.1 + k * barW);
      const y = stacked ? base - h : bottom - h;
      if (stacked) base -= h;
      return `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"
        fill="${s.color || PALETTE[k % PALETTE.length]}" data-value="${v}"><title>${esc(`${labelText} ${s.name}: ${format(v)}`)}</title></rect>`;
    }).join('');
    const tx = left + (i + 0.5) * slot;
    return `${bars}<text x="${tx.toFixed(1)}" y="${bottom + 14}" font-size="12" text-anchor="middle">${esc(labelText)}</text>`;
  }).join('');
  return `${open}${legend(series, 12, width)}${yAxis(top_, top, bottom, left, right, format)}${marks}${close}`;
}

/** Lines over the labels; a null value leaves a gap. series: [{name, values, color?}]. A dashed
 *  reference line at `target` (e.g. the 95 % resolution rate) when given. */
export function lineChart({title, desc = '', labels, series, format = (v) => String(v), max = null, target = null, targetName = ''}) {
  const width = Math.max(320, 40 + labels.length * 26);
  const top = 16 + 16 * legendRows(series, width), bottom = 170, left = 38, right = width - 6;
  const top_ = max ?? niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v != null))));
  const slot = (right - left) / Math.max(1, labels.length);
  const xOf = (i) => left + (i + 0.5) * slot;
  const yOf = (v) => bottom - (v / top_) * (bottom - top);
  const {open, close} = frame({title, desc, width, height: bottom + 22});
  const lines = series.map((s, k) => {
    const color = s.color || PALETTE[k % PALETTE.length];
    let path = '', pen = false;
    s.values.forEach((v, i) => {
      if (v == null) { pen = false; return; }
      path += `${pen ? 'L' : 'M'}${xOf(i).toFixed(1)} ${yOf(v).toFixed(1)} `;
      pen = true;
    });
    const dots = s.values.map((v, i) => v == null ? '' : `<circle class="point" cx="${xOf(i).toFixed(1)}" cy="${yOf(v).toFixed(1)}" r="3"
      fill="${color}" data-value="${v}"><title>${esc(`${labels[i]} ${s.name}: ${format(v)}`)}</title></circle>`).join('');
    return `<path d="${path.trim()}" fill="none" stroke="${color}" stroke-width="2"/>${dots}`;
  }).join('');
  const ref = target == null ? '' : `<line class="target" x1="${left}" x2="${right}" y1="${yOf(target).toFixed(1)}" y2="${yOf(target).toFixed(1)}"
    stroke="#c62828" stroke-dasharray="4 3"><title>${esc(`${targetName} ${format(target)}`)}</title></line>`;
  const axis = labels.map((l, i) => `<text x="${xOf(i).toFixed(1)}" y="${bottom + 14}" font-size="12" text-anchor="middle">${esc(l)}</text>`).join('');
  return `${open}${legend(series, 12, width)}${yAxis(top_, top, bottom, left, right, format)}${ref}${lines}${axis}${close}`;
}

/** Horizontal bars, one row per label with one thin bar per series (e.g. prefectures × quarters):
 *  long labels stay readable on a narrow screen. */
export function hbarChart({title, desc = '', labels, series, format = (v) => String(v), max = null}) {
  const width = 360, labelW = 140, rowH = 8 + 7 * series.length;
  const top = 10 + 16 * legendRows(series, width);
  const height = top + labels.length * rowH + 18;
  const top_ = max ?? niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const span = width - labelW - 40;
  const {open, close} = frame({title, desc, width, height});
  const rows = labels.map((labelText, i) => {
    const y0 = top + i * rowH;
    const bars = series.map((s, k) => {
      const v = s.values[i] || 0, w = (v / top_) * span;
      return `<rect class="bar" x="${labelW}" y="${y0 + 3 + k * 7}" width="${w.toFixed(1)}" height="6"
        fill="${s.color || PALETTE[k % PALETTE.length]}" data-value="${v}"><title>${esc(`${labelText} ${s.name}: ${format(v)}`)}</title></rect>`;
    }).join('');
    return `<text x="${labelW - 4}" y="${y0 + rowH / 2 + 4}" font-size="11" text-anchor="end">${esc(labelText)}</text>${bars}`;
  }).join('');
  const ticks = [0, 0.5, 1].map((f) => `<text x="${(labelW + f * span).toFixed(1)}" y="${height - 4}" font-size="12"
    text-anchor="middle">${esc(format(top_ * f))}</text>`).join('');
  return `${open}${legend(series, 12, width)}${rows}${ticks}${close}`;
}
