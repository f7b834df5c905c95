"""The phone's meeting screens, offline: from Today into a meeting, the arrival, a site's switch-on
confirmation, a joint test, an incident turned into a fault, the usage register with a recording
and a drawn signature, and the host room's pre-meeting check; the outbox holds one record of each
type with the contract's fields (docs/meetings.md, Phone); online they are sent once, a
replay of them stores nothing twice, and a refusal shows in words.

On the fake server (tests/pwa/fake_server.py says why): the pack's meeting is in the shape of
server/services/meetings/pack.py, the push answers by UUID."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fake_server import TAG, USER
from phone import Phone

pytestmark = pytest.mark.browser

ISO = "%Y-%m-%dT%H:%M:%SZ"
MEETING_ID = 41


def pack_meeting(start: datetime) -> dict:
    """A meeting as the pack sends it: host 520102 (room 1), sites 520102 and 520103 (speaking)."""
    at = lambda d: d.strftime(ISO)  # noqa: E731
    sites = [
        {"id": 1, "code": "520102", "name": "南明区医疗保障局", "prefecture": "520100"}
        | {"speaking": False},
        {"id": 2, "code": "520103", "name": "云岩区医疗保障局", "prefecture": "520100"}
        | {"speaking": True},
    ]

    def check(kind, subject_id, subject, before):
        due = {"key": f"{kind}:{subject_id}", "kind": kind, "subject_id": subject_id}
        due |= {"subject": subject, "due_at": at(start - before), "state": "due"}
        return due | {"done_at": None, "done_by_user_id": None}

    checks = [check("arrival", USER["id"], USER["display_name"], timedelta(hours=1))]
    checks += [check("switch_on", s["id"], s["name"], timedelta(minutes=30)) for s in sites]
    checks += [check("checklist", 1, "主会议室", timedelta(minutes=30))]
    checks += [check("joint_test", 2, sites[1]["name"], timedelta(minutes=15))]
    return {
        "id": MEETING_ID,
        "title": "全省医保视频会议",
        "kind": "provincial_video",
        "platform": None,
        "host_site_id": 1,
        "host_site_code": "520102",
        "host_site_name": "南明区医疗保障局",
        "host_room_id": 1,
        "host_room_name": "主会议室",
        "starts_at": at(start),
        "ends_at": at(start + timedelta(hours=2)),
        "major_event": False,
        "state": "scheduled",
        "notes": None,
        "version": 1,
        "site_count": 2,
        "engineers": [{"id": USER["id"], "name": USER["display_name"]}],
        "sites": sites,
        "due_checks": checks,
        "warnings": [],
    }


SET_STATE = """async (state) => {
  const db = await new Promise((ok) => { const r = indexedDB.open('xunjian'); r.onsuccess = () => ok(r.result); });
  const tx = db.transaction('outbox', 'readwrite');
  const store = tx.objectStore('outbox');
  const all = await new Promise((ok) => { const r = store.getAll(); r.onsuccess = () => ok(r.result); });
  for (const r of all) store.put({...r, state});
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
  return all.length;
}"""


def record_everything(phone: Phone) -> None:
    """On the meeting screen: arrival, site 2's switch-on and joint test, an incident, the register."""
    page = phone.page
    page.click("[data-testid=record-arrival]")
    page.wait_for_selector("[data-testid=arrival-done]")

    confirm = page.locator("[data-testid=site-check][data-kind=switch_on][data-site='2']")
    confirm.locator("[data-testid=open-site]").click()
    confirm.locator("input[name=confirmed_by]").fill("云岩区 李师傅")
    confirm.locator("input[name=note]").fill("电话确认已开机")
    confirm.locator("[data-testid=save-site]").click()
    confirm.locator("[data-testid=meeting-record]").wait_for()

    joint = page.locator("[data-testid=site-check][data-kind=joint_test][data-site='2']")
    joint.locator("[data-testid=open-site]").click()
    for part, choice in (("sound", "pass"), ("picture", "pass"), ("pc_content", "fail")):
        joint.locator(f"[data-part={part}] button.{choice}").click()
    joint.locator("input[name=note]").fill("电脑画面无信号")
    joint.locator("[data-testid=save-site]").click()
    joint.locator("[data-testid=meeting-record]").wait_for()

    log = page.locator("[data-testid=incident-log]")
    log.locator("#incident-site").select_option("2")
    log.locator("button[data-kind=dropped_out]").click()
    log.locator("#incident-duration").fill("4")
    log.locator("#incident-action").fill("重新呼叫入会")
    log.locator("[data-testid=to-fault]").check()
    log.locator("#incident-tag").fill(TAG)
    log.locator("[data-testid=save-incident]").click()
    log.locator("[data-testid=meeting-record]").wait_for()

    page.click("[data-testid=open-register]")
    form = page.locator("[data-testid=register-form]")
    form.locator("#reg-operators").fill("张工")
    form.locator("#reg-before").fill("正常")
    form.locator("#reg-after").fill("已关机")
    for step in ("audio", "displays", "matrix", "power", "windows_lights"):
        form.locator(f"input[data-step={step}]").check()
    form.locator("[data-testid=add-recording]").click()
    form.locator("[data-testid=add-recording]").click()
    form.locator("[data-testid=remove-recording]").last.click()  # added one too many
    recording = form.locator("[data-testid=recording]")
    assert recording.count() == 1
    for name, value in (("server", "录播服务器1"), ("file", "20261203-全省.mp4")):
        recording.locator(f"input[name={name}]").fill(value)
    recording.locator("input[name=duration_min]").fill("120")
    recording.locator("input[name=retention_days]").fill("180")
    form.locator("#reg-remarks").fill("会议顺利")
    box = form.locator("canvas").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 60, steps=5)
    page.mouse.move(box["x"] + 220, box["y"] + 30, steps=5)
    page.mouse.up()
    form.locator("[data-testid=save-register]").click()
    page.locator("[data-testid=usage-register] [data-testid=meeting-record]").wait_for()


def test_meeting_records_offline_sent_once_and_replayed(context, server):
    server.state.meetings = [pack_meeting(datetime.now(UTC) + timedelta(hours=2))]
    phone = Phone.of(context, server).sign_in("eng", "pw")
    page = phone.page
    phone.go_offline(context)
    page.wait_for_selector(f"[data-testid=meeting][data-meeting='{MEETING_ID}']")
    checks = page.locator("[data-testid=meeting-checks]").inner_text()
    assert "开机确认 0/2" in checks and "联调测试 0/1" in checks
    page.click(f"[data-testid=meeting][data-meeting='{MEETING_ID}']")
    phone.wait_path(f"/m/{MEETING_ID}")
    page.wait_for_selector("[data-testid=meeting-screen]")

    record_everything(phone)
    states = {
        c.get_attribute("data-key"): c.get_attribute("data-state")
        for c in page.locator("[data-testid=check]").all()
    }
    assert states == {
        f"arrival:{USER['id']}": "recorded",
        "switch_on:1": states["switch_on:1"],  # not confirmed: due, or late by the clock
        "switch_on:2": "recorded",
        "checklist:1": states["checklist:1"],
        "joint_test:2": "recorded",
    }
    assert states["switch_on:1"] in ("due", "late")

    # The host room's pre-meeting check: a visit of kind pre_meeting naming the meeting.
    page.click("[data-testid=start-checklist]")
    phone.wait_path("/visit")
    assert phone.meta("active_visit")["meeting_id"] == MEETING_ID
    assert phone.meta("active_visit")["kind"] == "pre_meeting"
    phone.route("/visit/summary", "#summary")
    page.click("text=确认结束并保存")
    phone.wait_path("/")

    records = phone.outbox()
    by_type = {r["type"]: r for r in records}
    assert len(records) == len(by_type) == 6, [r["type"] for r in records]
    assert all(r["state"] == "waiting" and r["made_by"]["id"] == USER["id"] for r in records)
    assert all(r["data"]["meeting_id"] == MEETING_ID and r["client_time"] for r in records)
    assert all("position" in r for r in records)
    assert by_type["visit"]["data"]["inspection_kind"] == "pre_meeting"
    assert by_type["visit"]["data"]["site_code"] == "520102"
    data = {t: r["data"] for t, r in by_type.items()}
    assert set(data["meeting_arrival"]) == {"meeting_id", "arrived_at"}
    confirmation = data["meeting_site_confirmation"]
    assert set(confirmation) == {"meeting_id", "site_id", "confirmed_by", "confirmed_at", "note"}
    assert (confirmation["site_id"], confirmation["confirmed_by"]) == (2, "云岩区 李师傅")
    joint = data["meeting_joint_test"]
    assert set(joint) == {
        "meeting_id",
        "site_id",
        "sound",
        "picture",
        "pc_content",
        "note",
        "tested_at",
    }
    assert (joint["site_id"], joint["sound"], joint["picture"], joint["pc_content"]) == (
        2,
        "pass",
        "pass",
        "fail",
    )
    incident = data["meeting_incident"]
    assert set(incident) == {
        "meeting_id",
        "site_id",
        "kind",
        "started_at",
        "duration_min",
        "action",
        "to_fault",
        "tag",
    }
    assert (incident["site_id"], incident["kind"], incident["duration_min"]) == (
        2,
        "dropped_out",
        4,
    )
    assert (incident["to_fault"], incident["tag"], incident["action"]) == (
        True,
        TAG,
        "重新呼叫入会",
    )
    register = data["usage_register"]
    assert set(register) == {
        "meeting_id",
        "started_at",
        "ended_at",
        "operators",
        "state_before",
        "state_after",
        "shutdown",
        "recordings",
        "remarks",
        "signature_photo_id",
    }
    assert register["shutdown"] == dict.fromkeys(
        ("audio", "displays", "matrix", "power", "windows_lights"), True
    )
    assert register["recordings"] == [
        {"server": "录播服务器1", "file": "20261203-全省.mp4", "duration_min": 120}
        | {"retention_days": 180}
    ]
    signature = register["signature_photo_id"]
    assert len(signature) == 64 and by_type["usage_register"]["photos"] == [signature]
    assert register["started_at"] < register["ended_at"]

    # Online: everything reaches the server once, with the signature's bytes.
    context.set_offline(False)
    phone.sync_now()
    phone.wait_outbox(["sent"] * 6)
    assert set(server.state.records) == {r["uuid"] for r in records}
    assert server.state.photos.get(signature, b"")[:8] == b"\x89PNG\r\n\x1a\n"

    # A replay (the answers lost: every record waiting again) stores nothing twice.
    assert phone.page.evaluate(SET_STATE, "waiting") == 6
    phone.sync_now()
    phone.wait_outbox(["sent"] * 6)
    pushed = [r["uuid"] for r in server.state.pushes]
    # every record sent again (more than twice is fine: a sync on `online` and the tap may overlap)
    assert all(pushed.count(r["uuid"]) >= 2 for r in records) and len(server.state.records) == 6
    assert len(phone.outbox()) == 6

    # A refusal is shown in words on the meeting screen.
    server.state.refuse = {"meeting_incident": "site_not_in_meeting"}
    phone.open(f"/m/{MEETING_ID}", "[data-testid=incident-log]")
    phone.page.locator("[data-testid=incident-log] button[data-kind=mosaic]").click()
    phone.page.click("[data-testid=save-incident]")
    refused = phone.page.locator("[data-testid=incident-log] [data-testid=record-refused]")
    refused.wait_for()
    assert "这个点位不在本次会议的参会名单中" in refused.inner_text()
    assert refused.get_attribute("data-code") == "site_not_in_meeting"


def test_meeting_screen_with_its_forms_open_has_no_serious_a11y_violations(context, server):
    from test_pwa_a11y import serious_violations

    server.state.meetings = [pack_meeting(datetime.now(UTC) + timedelta(hours=2))]
    phone = Phone.of(context, server).sign_in("eng", "pw")
    phone.open(f"/m/{MEETING_ID}", "[data-testid=meeting-screen] [data-testid=check]")
    page = phone.page
    page.locator("[data-kind=switch_on] [data-testid=open-site]").first.click()
    page.locator("[data-kind=joint_test] [data-testid=open-site]").first.click()
    page.locator("[data-testid=incident-log] button[data-kind=other]").click()
    page.locator("[data-testid=to-fault]").check()
    page.click("[data-testid=open-register]")
    page.click("[data-testid=add-recording]")
    assert serious_violations(page) == []


def test_the_register_form_is_kept_as_a_draft_until_saved(context, server):
    server.state.meetings = [
        pack_meeting(datetime.now(UTC) - timedelta(hours=3))
    ]  # over: register time
    phone = Phone.of(context, server).sign_in("eng", "pw")
    phone.open(f"/m/{MEETING_ID}", "[data-testid=open-register]")
    page = phone.page
    page.click("[data-testid=open-register]")
    page.fill("#reg-operators", "张工、李工")
    page.check("input[data-step=audio]")
    page.click("[data-testid=add-recording]")
    page.fill("[data-testid=recording] input[name=file]", "通道3")
    phone.wait_until(lambda: phone.meta(f"register_draft:{MEETING_ID}"), "a saved draft")
    phone.wait_until(
        lambda: phone.meta(f"register_draft:{MEETING_ID}")["recordings"][0]["file"] == "通道3",
        "the draft's recording",
    )
    phone.open(f"/m/{MEETING_ID}", "[data-testid=open-register]")  # left and came back
    page.click("[data-testid=open-register]")
    page.wait_for_function("() => document.querySelector('#reg-operators').value === '张工、李工'")
    assert page.is_checked("input[data-step=audio]")
    assert page.input_value("[data-testid=recording] input[name=file]") == "通道3"
    page.click("[data-testid=save-register]")
    page.wait_for_selector("[data-testid=usage-register] [data-testid=meeting-record]")
    [register] = [r for r in phone.outbox() if r["type"] == "usage_register"]
    assert register["data"]["operators"] == "张工、李工"
    assert register["data"]["signature_photo_id"] is None and register["photos"] == []
    assert phone.meta(f"register_draft:{MEETING_ID}") is None
    assert page.get_by_text("重新填写（以最新一份为准）").is_visible()

    # The section comes whole in every pull: a meeting the server no longer sends leaves the phone.
    server.state.meetings = []
    phone.sync_now()
    assert phone.rows("meetings") == []
    phone.open(f"/m/{MEETING_ID}", "[data-testid=meeting-missing]")
