"""Issue 17 on the REAL server in headless Chromium: a refused record of a type other than an
inspection (a fault) is edited on the phone (the field the server named, in Chinese) and resent
under its uuid, arriving once with the fix; a refusal naming no field the engineer can type offers
no edit (set aside is its way out)."""

from __future__ import annotations

import pytest
from chinese_text import english_words
from field_seed import count, new_device
from phone import OPEN_EXISTING, Phone

pytestmark = [pytest.mark.browser, pytest.mark.live]

# The fault as an older app could have sent it: a description over the server's 4,000 characters.
OVERLONG = (
    """async (uuid) => {
  const db = await """
    + OPEN_EXISTING
    + """;
  const tx = db.transaction('outbox', 'readwrite');
  const store = tx.objectStore('outbox');
  const record = await new Promise((ok) => { const r = store.get(uuid); r.onsuccess = () => ok(r.result); });
  record.data.description = '无图像'.repeat(1400);
  store.put(record);
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
  return true;
}"""
)
FIXED = "会议室终端无图像，已重启仍无信号"


def test_a_refused_fault_is_edited_and_resent_under_its_uuid(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    phone.go_offline(context)
    uuid = phone.report_fault(device["tag"], "无图像")
    page.evaluate(OVERLONG, uuid)
    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")
    [failed] = phone.wait_outbox(["failed"])
    assert failed["uuid"] == uuid and "description" in failed["errors"]["data"]

    row = f"[data-testid=outbox-record][data-uuid='{uuid}']"
    phone.open("/outbox", row)
    assert page.locator(f"{row} [data-testid=set-aside]").count() == 1  # both ways out offered
    page.click(f"{row} [data-testid=edit-record]")
    form = page.wait_for_selector(f"[data-testid=record-edit][data-uuid='{uuid}']")
    assert english_words(form.inner_text()) == []  # the field by its Chinese name, no server prose
    field = page.locator("[data-testid=edit-field][data-field=description] textarea")
    assert field.input_value().startswith("无图像无图像")  # the refused text, to fix in place
    field.fill("")
    page.click("[data-testid=save-edit]")
    assert page.locator("[data-testid=edit-field] [role=alert]").inner_text() == "必填"
    assert [r["state"] for r in phone.outbox()] == ["failed"]  # nothing resent half-fixed
    field.fill(FIXED)
    page.click("[data-testid=save-edit]")
    phone.wait_path("/outbox")
    [sent] = phone.wait_outbox(["sent"])
    assert sent["uuid"] == uuid and sent["data"]["description"] == FIXED
    stored = "select count(*) from fault where uuid = :u and description = :d"
    assert count(live_server, stored, u=uuid, d=FIXED) == 1
    assert count(live_server, "select count(*) from fault where uuid = :u", u=uuid) == 1


def test_a_refusal_naming_no_typed_field_offers_no_edit(context, live_server):
    phone = Phone.of(context, live_server).sign_in()
    fields = phone.page.evaluate(
        """() => import('/static/js/screens/record-edit.js').then((m) => [
          m.editableFields({state: 'failed', type: 'swap', data: {faulty_tag: 'A'}, errors: null}),
          m.editableFields({state: 'failed', type: 'swap', data: {}, errors: {data: {spare_tag: ['x']}}}),
          m.editableFields({state: 'failed', type: 'fault_step', data: {note: 'n'}, errors: {data: {note: ['x']}}}),
          m.editableFields({state: 'sent', type: 'fault_step', data: {note: 'n'}, errors: {data: {note: ['x']}}}),
          m.editableFields({state: 'failed', type: 'inspection', data: {notes: ''}, errors: {data: {notes: ['x']}}}),
        ])"""
    )
    assert fields == [[], [], ["note"], [], []]
    phone.open("/outbox/edit/00000000-0000-4000-8000-000000000000", "[data-testid=edit-nothing]")
