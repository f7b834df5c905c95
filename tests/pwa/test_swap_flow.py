"""Faults and scan-scan swaps in real headless Chromium against the real server: offline, reload, sync, exactly once."""

from datetime import UTC

import pytest
from helpers import jpeg_bytes
from phone import Phone
from swap_seed import label_frame, seed_units
from y4m import write_y4m_sequence

from tests.chromium import launch, new_context

pytestmark = [pytest.mark.browser, pytest.mark.live]


def report_fault(page, base_url, tag):
    page.goto(f"{base_url}/d/{tag}")
    page.click("[data-testid=report-fault]")
    page.wait_for_selector("[data-testid=fault-form]")
    page.check("input[value=critical]")
    page.check("[data-testid=urgent]")
    page.fill("#fault-description", "会议室终端无图像")
    page.set_input_files(
        "[data-testid=photo-input]",
        files=[{"name": "f.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}],
    )
    page.wait_for_selector("[data-testid=fault-form] .xj-thumbs img")
    page.click("[data-testid=fault-form] button[type=submit]")
    page.wait_for_selector("[data-testid=fault][data-state=reported]")
    assert page.locator("[data-clock=spare]").get_attribute("data-state") == "running"


def custody_moves(client, tag):
    events = client.get(f"/api/v1/devices/{tag}/custody").json()["events"]
    return [e for e in events if e["reason_code"] in ("spare_installed", "sent_to_repair")]


def test_offline_fault_and_scan_scan_swap_arrive_once_and_move_both_units(
    playwright_instance, live_server, tmp_path
):
    seeded = seed_units(live_server.db_url)
    [faulty], [room_id], spare = seeded["faulty"], seeded["rooms"], seeded["spare"]
    base = live_server.base_url
    # The camera sees the faulty unit's label, then the spare's: the screen takes them in its own order.
    video = write_y4m_sequence(
        tmp_path / "labels.y4m", [(label_frame(base, faulty), 15), (label_frame(base, spare), 15)]
    )
    browser = launch(
        playwright_instance,
        [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        context.grant_permissions(["camera"], origin=base)
        phone = Phone.of(context, live_server).sign_in(controlled=True)
        page = phone.page
        context.set_offline(True)
        report_fault(page, base, faulty)
        page.goto(f"{base}/d/{faulty}")
        page.wait_for_selector("[data-testid=fault-row][data-state=reported]")
        page.click("[data-testid=swap-action]")
        page.wait_for_selector(f"[data-testid=swap-faulty][data-tag='{faulty}']", timeout=30000)
        page.wait_for_selector(f"[data-testid=swap-spare][data-tag='{spare}']", timeout=30000)
        assert page.locator(
            "[data-testid=swap-fault]"
        ).is_visible()  # linked to the fault just raised
        page.click("[data-testid=swap-confirm]")
        page.wait_for_selector("[data-testid=swap-saved]")

        page.reload()  # offline: the records are on the phone, not in memory
        page.goto(base + "/outbox")
        page.wait_for_selector("[data-testid=outbox-record]")
        assert page.locator("[data-testid=outbox-record][data-state=waiting]").count() == 2
        context.set_offline(False)
        phone.wait_sent(2)
        page.goto(base + "/swap")
        page.wait_for_selector("[data-testid=swap-row][data-server-state=applied]", timeout=30000)
    finally:
        context.close()
        browser.close()

    api = live_server.client("supervisor")
    spare_now = api.get(f"/api/v1/devices/{spare}/custody").json()
    faulty_now = api.get(f"/api/v1/devices/{faulty}/custody").json()
    assert (spare_now["room_id"], spare_now["status"]) == (room_id, "in_service")
    assert (faulty_now["room_id"], faulty_now["status"]) == (None, "in_repair")
    rmas = [r for r in api.get("/api/v1/rma?open=true").json()["items"] if r["tag"] == faulty]
    assert len(rmas) == 1 and rmas[0]["swap_id"] is not None
    [fault] = api.get(f"/api/v1/faults?tag={faulty}").json()["items"]
    assert (fault["state"], fault["severity"], fault["urgent_meeting"]) == (
        "spare_installed",
        "critical",
        True,
    )
    assert len(fault["photos"]) == 1
    assert [e["to_room"]["id"] for e in custody_moves(api, spare)] == [room_id]
    assert [(e["from_room"]["id"], e["to_status"]) for e in custody_moves(api, faulty)] == [
        (room_id, "in_repair")
    ]
    [swap] = api.get("/api/v1/swaps").json()["items"]
    assert (swap["faulty_tag_source"], swap["spare_tag_source"]) == ("camera", "camera")


def swap_by_typing(page, base, faulty, spare):
    page.goto(base + "/swap")
    page.wait_for_selector("[data-testid=swap][data-stage=faulty]")
    field = page.locator("input[aria-label='手动输入标签号']")
    field.fill(faulty)
    page.click("text=打开")
    page.wait_for_selector(f"[data-testid=swap-faulty][data-tag='{faulty}']")
    field.fill(spare)
    page.click("text=打开")
    page.click("[data-testid=swap-confirm]")
    page.wait_for_selector("[data-testid=swap-saved]")


def test_two_phones_install_the_same_spare_one_applied_one_flagged(browser, live_server):
    seeded = seed_units(live_server.db_url, faulty_count=2)
    (faulty1, faulty2), (room1, room2), spare = seeded["faulty"], seeded["rooms"], seeded["spare"]
    base = live_server.base_url
    phones = [
        new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
        for _ in range(2)
    ]
    try:
        devices = [
            Phone.of(phone, live_server).sign_in(user, controlled=True)
            for phone, user in zip(phones, ("engineer", "engineer2"))
        ]
        pages = [device.page for device in devices]
        for phone, page, faulty in zip(phones, pages, (faulty1, faulty2)):
            phone.set_offline(True)
            swap_by_typing(page, base, faulty, spare)
        for phone, device in zip(phones, devices):
            phone.set_offline(False)
            device.wait_sent(1)
        pages[1].goto(base + "/swap")
        pages[1].wait_for_selector(
            "[data-testid=swap-row][data-server-state=flagged]", timeout=30000
        )
        # Chinese screen: the verdict and the flag's code in Chinese words (no English prose)
        answer = pages[1].locator("[data-testid=swap-answer]").inner_text()
        assert "需主管审核" in answer and f"备件 {spare} 已不在备件库" in answer
        assert "pool" not in answer and "installed" not in answer
    finally:
        for phone in phones:
            phone.close()

    api = live_server.client("supervisor")
    flagged = api.get("/api/v1/swaps?state=flagged").json()["items"]
    applied = api.get("/api/v1/swaps?state=applied").json()["items"]
    assert [(s["faulty"]["tag"], s["spare"]["tag"]) for s in applied] == [(faulty1, spare)]
    assert [(s["faulty"]["tag"], s["spare"]["tag"]) for s in flagged] == [(faulty2, spare)]
    typed = [(s["faulty_tag_source"], s["spare_tag_source"]) for s in applied + flagged]
    assert typed == [("typed", "typed")] * 2  # entered by hand on both phones
    assert api.get(f"/api/v1/devices/{spare}/custody").json()["room_id"] == room1
    second = api.get(f"/api/v1/devices/{faulty2}/custody").json()
    assert (second["room_id"], second["status"]) == (room2, "in_service")  # flagged: nothing moved


def type_tag(page, tag):
    page.locator("input[aria-label='手动输入标签号']").fill(tag)
    page.click("text=打开")


def test_phone_refuses_certainly_wrong_swaps_and_records_fault_steps_offline(browser, live_server):
    seeded = seed_units(live_server.db_url)
    [faulty], spare, other = seeded["faulty"], seeded["spare"], seeded["other_kind_spare"]
    base = live_server.base_url
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        phone = Phone.of(context, live_server).sign_in(controlled=True)
        page = phone.page
        context.set_offline(True)
        page.goto(base + "/swap")
        message = page.locator("[data-testid=swap-message]")
        type_tag(page, spare)
        page.wait_for_selector("[data-testid=swap-message]")
        assert "是备件库中的备件" in message.inner_text()
        type_tag(page, faulty)
        page.wait_for_selector(f"[data-testid=swap-faulty][data-tag='{faulty}']")
        type_tag(page, faulty)
        page.wait_for_selector("text=同一台设备扫了两次")
        type_tag(page, other)
        page.wait_for_selector("text=不是同一类设备")
        assert (
            page.locator("[data-testid=swap][data-stage=spare]").count() == 1
        )  # nothing accepted, nothing saved

        report_fault(page, base, faulty)
        for step in ("responded", "diagnosing"):
            page.click(f"[data-step={step}]")
            page.click("[data-testid=step-form] button[type=submit]")
            page.wait_for_selector(f"[data-testid=fault][data-state={step}]")
        page.click("[data-step=resolved]")
        page.click("[data-testid=step-form] button[type=submit]")
        page.wait_for_selector("[data-testid=step-form] [role=alert]")  # a resolution is required
        page.fill("#step-resolution", "重新插拔 HDMI 线")
        page.click("[data-testid=step-form] button[type=submit]")
        page.wait_for_selector("[data-testid=fault][data-state=resolved]")
        assert page.locator("[data-clock=spare]").get_attribute("data-state") == "not_needed"
        context.set_offline(False)
        phone.wait_sent(4)
    finally:
        context.close()

    api = live_server.client("supervisor")
    [fault] = api.get(f"/api/v1/faults?tag={faulty}").json()["items"]
    detail = api.get(f"/api/v1/faults/{fault['id']}").json()
    assert (detail["state"], detail["resolution"]) == ("resolved", "重新插拔 HDMI 线")
    assert [s["step"] for s in detail["steps"]].count("resolved") == 1
    assert api.get("/api/v1/swaps").json()["total"] == 0


def test_a_unit_back_from_repair_is_swapped_back_from_the_phone(browser, live_server):
    """The return screen: the unit goes back into its room and the stand-in spare to the pool."""
    from datetime import datetime

    from tests import sync_records as rec

    seeded = seed_units(live_server.db_url)
    faulty, spare, room_id = seeded["faulty"][0], seeded["spare"], seeded["rooms"][0]
    swap = rec.envelope(
        "swap",
        {
            "faulty_tag": faulty,
            "spare_tag": spare,
            "vendor": "厂家维修站",
            "swapped_at": datetime.now(UTC).isoformat(),
        },
    )
    pushed = live_server.client("engineer").post_json("/api/v1/sync/push", {"records": [swap]})
    assert [r["status"] for r in pushed.json()["results"]] == ["created"], pushed.body

    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = Phone.of(context, live_server).sign_in(controlled=True)
    page = phone.page
    page.goto(f"{live_server.base_url}/d/{faulty}")
    page.click("[data-testid=rma-action]")
    page.wait_for_selector("[data-testid=rma-form]")
    assert page.locator("input[name=disposition][value=swap_back]").is_checked()
    page.check("input[name=outcome][value=replaced]")
    page.click("[data-testid=save-rma]")
    page.locator("[data-testid=rma-form]").get_by_text("请填写新序列号").wait_for()
    assert phone.outbox() == []  # refused before it is queued
    page.fill("#rma-serial", "SN-NEW-0001")
    page.click("[data-testid=save-rma]")
    page.wait_for_selector(f"[data-testid=device][data-tag='{faulty}']")
    phone.wait_sent(1)

    api = live_server.client("supervisor")
    unit, stand_in = (
        api.get(f"/api/v1/devices/{faulty}").json(),
        api.get(f"/api/v1/devices/{spare}").json(),
    )
    assert (unit["room_id"], unit["status"], unit["serial"]) == (
        room_id,
        "in_service",
        "SN-NEW-0001",
    )
    assert (stand_in["room_id"], stand_in["status"]) == (seeded["store_room"], "spare")
    assert not [r for r in api.get("/api/v1/rma?open=true").json()["items"] if r["tag"] == faulty]
    phone.sync_now()  # a whole sync, its pull included: the phone knows the repair is closed
    phone.open(f"/d/{faulty}", "[data-testid=device]")
    assert [r["returned_at"] is not None for r in phone.rows("rma")] == [True]  # pulled back
    assert page.locator("[data-testid=rma-action]").count() == 0  # nothing left to return
    context.close()


OLD_PHONE_DB = """async (cursor) => {
  const stores = ['sites', 'rooms', 'devices', 'device_types', 'templates', 'plans', 'tag_aliases',
                  'inspections', 'faults', 'spares'];
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open('xunjian', 2);
    r.onupgradeneeded = () => {
      const d = r.result;
      for (const name of stores) {  // version 2 as pwa/static/js/db.js made it
        const store = d.createObjectStore(name, {keyPath: 'id'});
        if (name === 'devices') { store.createIndex('tag', 'tag'); store.createIndex('site_id', 'site_id'); }
        if (name === 'rooms') store.createIndex('site_id', 'site_id');
      }
      const outbox = d.createObjectStore('outbox', {keyPath: 'uuid'});
      outbox.createIndex('state', 'state');
      outbox.createIndex('created_at', 'created_at');
      d.createObjectStore('photos', {keyPath: 'sha256'}).createIndex('uploaded', 'uploaded');
      d.createObjectStore('meta').put(cursor, 'cursor');
    };
    r.onsuccess = () => ok(r.result); r.onerror = no;
  });
  db.close();
  return true;
}"""


def test_a_phone_from_before_the_rma_store_pulls_it_in_full(browser, live_server):
    """Upgrading IndexedDB adds the rma store and forgets the cursor, so the next pull fills it
    (a delta from the old cursor would never send the repairs opened before it)."""
    from datetime import datetime, timedelta

    import sqlalchemy as sa

    from tests import sync_records as rec

    seeded = seed_units(live_server.db_url)
    swap = rec.envelope(
        "swap",
        {
            "faulty_tag": seeded["faulty"][0],
            "spare_tag": seeded["spare"],
            "swapped_at": datetime.now(UTC).isoformat(),
        },
    )
    assert (
        live_server.client("engineer").post_json("/api/v1/sync/push", {"records": [swap]}).status
        == 200
    )
    engine = live_server.engine()
    try:  # the repair opened an hour ago, before the old phone's last pull
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE rma_record SET updated_at = :at"),
                {"at": datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)},
            )
    finally:
        engine.dispose()
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.base_url + "/api/v1/health")  # same origin, no app yet
    last_pull = "t1." + str(int(datetime.now(UTC).timestamp() * 1000))
    assert page.evaluate(OLD_PHONE_DB, last_pull)
    phone = Phone(page, live_server.base_url).sign_in()
    assert len(phone.rows("rma")) == 1
    context.close()
