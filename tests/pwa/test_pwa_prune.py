"""The phone forgets what the server has had for a while, and nothing else (outbox.prune)."""

from __future__ import annotations

import pytest
from phone import Phone

pytestmark = [pytest.mark.browser, pytest.mark.live]
DAY = 24 * 3600 * 1000

SEED = """async ([now, day]) => {
  const open = () => new Promise((resolve, reject) => {
    const req = indexedDB.open('xunjian');
    req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error);
  });
  const db = await open();
  const tx = db.transaction(['outbox', 'photos', 'meta'], 'readwrite');
  const sha = (c) => c.repeat(64);
  const record = (uuid, state, ackDays, photos) => ({uuid, type: 'inspection', state, photos,
    client_time: '2026-01-01T10:00:00+08:00', data: {tag: 'GZ0000000'}, reason: null, errors: null,
    created_at: now - 100 * day, acknowledged_at: ackDays == null ? null : now - ackDays * day});
  const outbox = tx.objectStore('outbox');
  outbox.put(record('old-sent', 'sent', 40, [sha('a')]));
  outbox.put(record('new-sent', 'sent', 1, [sha('b')]));
  outbox.put(record('old-failed', 'failed', null, [sha('c')]));
  outbox.put(record('old-conflict', 'conflict', 40, []));
  const photo = (c, uploaded, days) => ({sha256: sha(c), type: 'image/jpeg', bytes: new ArrayBuffer(8), size: 8,
    uploaded, uploaded_at: uploaded ? now - days * day : undefined, created_at: now - days * day});
  const photos = tx.objectStore('photos');
  photos.put(photo('a', true, 40));   // only the forgotten record named it: goes
  photos.put(photo('b', true, 40));   // a kept sent record names it: stays
  photos.put(photo('c', true, 40));   // a failed record names it: stays
  photos.put(photo('d', true, 10));   // nobody names it, uploaded long enough ago: goes
  photos.put(photo('e', true, 2));    // uploaded two days ago: stays a while
  photos.put(photo('f', true, 40));   // a checklist draft names it: stays
  tx.objectStore('meta').put({values: {power: {photos: [sha('f')]}}}, 'draft:GZ0000000');
  await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  db.close();
  return true;
}"""

KEYS = """async () => {
  const db = await new Promise((resolve) => { const r = indexedDB.open('xunjian'); r.onsuccess = () => resolve(r.result); });
  const keys = (name) => new Promise((resolve) => { const r = db.transaction(name).objectStore(name).getAllKeys(); r.onsuccess = () => resolve(r.result); });
  const result = {outbox: await keys('outbox'), photos: (await keys('photos')).map((k) => k[0])};
  db.close();
  return result;
}"""


def test_a_sync_forgets_old_sent_records_and_uploaded_photos_only(context, live_server):
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    now = page.evaluate("Date.now()")
    assert page.evaluate(SEED, [now, DAY])
    phone.sync_now()  # its prune has run once this returns
    kept = page.evaluate(KEYS)
    assert sorted(kept["outbox"]) == ["new-sent", "old-conflict", "old-failed"]
    assert sorted(kept["photos"]) == ["b", "c", "e", "f"]
    phone.open("/outbox", "[data-testid=kept-note]")
    assert "30 天" in page.inner_text("[data-testid=kept-note]")
