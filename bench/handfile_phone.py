"""The phone's side of a week offline: 25 visits of 12 inspections with 4 photos of 300 KB
each (bench/handfile.py's file) put in a signed-in phone's outbox in headless Chromium, then
exported as a hand-over file: exportFile() timed (the base64 and the Blob built in the page)
and the outbox screen's 导出文件 button timed to the finished download; the file's size, the
page's JS heap before and after, and the load average.

    PYTHONPATH=. python bench/handfile_phone.py [--visits 25] [--photo-kb 300]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pwa"))

FILL = """async ([visits, inspections, photos, kb]) => {
  const {addRecord} = await import('/static/js/outbox.js');
  const {savePhoto} = await import('/static/js/db.js');
  for (let v = 0; v < visits; v++) {
    const visit = await addRecord('visit', {site_code: '520000', inspection_kind: 'quarterly',
      started_at: new Date().toISOString()}, {position: {lat: 26.6, lon: 106.7, accuracy: 12}});
    const shas = [];
    for (let p = 0; p < photos; p++) {
      const bytes = new Uint8Array(kb * 1000);
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const sha256 = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
      await savePhoto({sha256, type: 'image/jpeg', bytes: bytes.buffer, size: bytes.length,
        uploaded: false, created_at: Date.now()});
      shas.push(sha256);
    }
    for (let i = 0; i < inspections; i++) {
      const mine = i < photos ? [shas[i]] : [];
      await addRecord('inspection', {visit_uuid: visit.uuid, tag: `T${v}-${i}`, tag_source: 'camera',
        template_id: 1, template_version: 1, inspection_kind: 'quarterly', notes: null,
        photos: mine, results: []}, {position: {lat: 26.6, lon: 106.7, accuracy: 12}, photos: mine});
    }
  }
  return true;
}"""

EXPORT = """async () => {
  const {exportFile} = await import('/static/js/handfile.js');
  const heap = () => performance.memory ? performance.memory.usedJSHeapSize : null;
  const before = heap();
  const started = performance.now();
  const made = await exportFile();
  const ms = performance.now() - started;
  return {ms, size: made.blob.size, records: made.records, photos: made.photos, before, after: heap()};
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=25)
    parser.add_argument("--photo-kb", type=int, default=300)
    args = parser.parse_args()
    from phone import Phone
    from playwright.sync_api import sync_playwright

    from tests.chromium import launch
    from tests.live_server import serve

    with tempfile.TemporaryDirectory(prefix="xj-hfphone-") as tmp, serve(Path(tmp)) as server:
        with sync_playwright() as p:
            browser = launch(p, ["--enable-precise-memory-info"])
            context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
            phone = Phone.of(context, server).sign_in()
            phone.go_offline(context)
            started = time.perf_counter()
            phone.page.evaluate(FILL, [args.visits, 12, 4, args.photo_kb])
            filled = time.perf_counter() - started
            got = phone.page.evaluate(EXPORT)
            phone.open("/outbox", "[data-testid=hf-export]")
            started = time.perf_counter()
            with phone.page.expect_download(timeout=600_000) as download:
                phone.page.click("[data-testid=hf-export]")
            path = Path(tmp) / "week.xjsync"
            download.value.save_as(path)
            clicked = time.perf_counter() - started
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            heap = (
                f", JS heap {got['before'] / 2**20:.0f} -> {got['after'] / 2**20:.0f} MB"
                if got["before"]
                else ""
            )
            print(
                f"outbox filled: {got['records']} records, {got['photos']} photos of "
                f"{args.photo_kb} KB in {filled:.1f} s"
            )
            print(f"exportFile(): {got['ms'] / 1000:.2f} s, {got['size'] / 1e6:.1f} MB{heap}")
            print(
                f"导出文件 button to the saved download: {clicked:.2f} s, "
                f"{path.stat().st_size / 1e6:.1f} MB"
            )
            print(f"load average {load}")
            browser.close()


if __name__ == "__main__":
    main()
