"""What a Chinese screen may show: the visible text of a page (and what a screen reader reads),
and the ASCII-only words in it that are neither tags, codes, numbers nor allowed names."""

from __future__ import annotations

import re

# Words that are names, not prose: units, file formats, standards, the contract's own codes.
ALLOWED = {
    "PDF",
    "CSV",
    "XLSX",
    "QR",
    "RMA",
    "ID",
    "mm",
    "min",
    "h",
    "dBFS",
    "dB",
    "ms",
    "ping",
    "Ping",  # the seed checklists name the network test so (Ping 平台时延)
    "X",
    "Y",
    "M",
    "Q",
    "A4",
    "HDMI",
    "IP",
    "LED",
    "UPS",
    "PoE",
    "MCU",
    "USB",
    "VGA",
    "Mbps",
    "Wi",
    "Fi",
    "CPU",
    "GB",
    "MB",
    "KB",
    "B",
    "English",
    "fps",
    "Hz",
    "V",
    "W",
    "px",
    "SIP",
    # protocol names Chinese IT screens use as they are (WeCom's own docs say "Webhook地址")
    "Webhook",
    "https",
    "http",
    "SMTP",
    "STARTTLS",
    "SSL",
    "TLS",
}
# What the seed typed as user data (a fault's description, its resolution): not the UI's words.
USER_TEXT = {"No", "picture", "sound", "Cable", "reseated"}
# Text nodes outside: code (tags, codes, the server's prose as a detail), closed <details>, hidden.
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('code, script, style, noscript, template, [hidden]')) continue;
    const details = el.closest('details');
    if (details && !details.open && !el.closest('summary')) continue;
    if (!el.getClientRects().length) continue;
    out.push(node.textContent);
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) out.push(el.placeholder);
  for (const el of document.querySelectorAll('option')) out.push(el.textContent);
  // What a screen reader says is on the screen too.
  for (const el of document.querySelectorAll('[aria-label], [title], img[alt]')) {
    if (el.closest('[hidden]')) continue;
    out.push(el.getAttribute('aria-label') || '', el.getAttribute('title') || '', el.getAttribute('alt') || '');
  }
  return out.join('\\n');
}"""
# Tags, codes (all capitals: site, type and model codes), anything with a digit (template names such
# as a4-3x8, models), single letters.
TAG_OR_CODE = re.compile(r"^([A-Z][A-Z0-9-]*|[\w.-]*\d[\w.-]*|[A-Za-z])$")


def english_words(text: str) -> list[str]:
    """ASCII-letter words that are not tags, codes, numbers or allowed names."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9_'.-]*", text)
    found = []
    for word in words:
        bare = word.strip(".-'")
        if not bare or TAG_OR_CODE.match(bare) or bare in ALLOWED or bare in USER_TEXT:
            continue
        found.append(bare)
    return found


def assert_chinese(page, where: str) -> None:
    text = page.evaluate(VISIBLE_TEXT)
    assert english_words(text) == [], f"{where}: {english_words(text)}\n{text}"
