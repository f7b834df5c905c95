"""The reminder settings over the API: bad input refused with the field named and nothing
written; secrets never answered in full; a test send lands at the local robot and in the log."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models.reminders import ReminderChannel, ReminderRuleSetting


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _refused(answer, field: str, code: str | None = None) -> dict:
    body = answer.get_json()
    assert answer.status_code == 422, body
    assert field in str(body["error"]["errors"]), body
    if code:
        assert body["error"]["code_name"] == code, body
    return body


def test_channels_are_checked_and_secrets_masked(auth, robots):
    admin = auth("admin")
    plain = {"name": "值班群", "kind": "wecom", "url": "http://example.cn/hook"}
    _refused(admin.post("/api/v1/reminders/channels", json=plain), "url", "webhook_not_https")
    email = {
        "name": "邮件",
        "kind": "email",
        "settings": {"host": "smtp.example.cn", "sender": "a@example.cn", "recipients": []},
    }
    _refused(admin.post("/api/v1/reminders/channels", json=email), "recipients")
    email["settings"] = {**email["settings"], "recipients": ["b@example.cn"], "ca_pem": "nope"}
    _refused(admin.post("/api/v1/reminders/channels", json=email), "settings", "smtp_tls")
    email["settings"] = {**email["settings"], "ca_pem": "", "verify": "sometimes"}
    _refused(admin.post("/api/v1/reminders/channels", json=email), "verify")
    zero = {"name": "群", "kind": "wecom", "url": robots.wecom_url(), "enabled": 0}
    _refused(admin.post("/api/v1/reminders/channels", json=zero), "enabled")  # true or false
    quiet = {"name": "群", "kind": "wecom", "url": robots.wecom_url(), "quiet_start": "22:00"}
    _refused(admin.post("/api/v1/reminders/channels", json=quiet), "quiet_end", "quiet_incomplete")
    assert _count(ReminderChannel) == 0
    made = admin.post(
        "/api/v1/reminders/channels",
        json={
            "name": "钉钉群",
            "kind": "dingtalk",
            "url": robots.dingtalk_url(),
            "secret": "SECtest-secret-0001",
        },
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["secret"] == "••••••001" and "SECtest" not in str(body)
    listed = admin.get("/api/v1/reminders/channels").get_json()
    assert "SECtest" not in str(listed)
    renamed = admin.patch(f"/api/v1/reminders/channels/{body['id']}", json={"name": "钉钉值班群"})
    assert (
        renamed.status_code == 200
        and db.session.get(ReminderChannel, body["id"]).secret == "SECtest-secret-0001"
    )
    audit = admin.get("/api/v1/audit?entity=reminder_channel").get_json()
    assert "SECtest" not in str(audit)


def test_a_test_send_reaches_the_robot_and_the_log(auth, robots):
    admin = auth("admin")
    made = admin.post(
        "/api/v1/reminders/channels",
        json={"name": "企业微信群", "kind": "wecom", "url": robots.wecom_url()},
    ).get_json()
    sent = admin.post(f"/api/v1/reminders/channels/{made['id']}/test")
    assert sent.status_code == 200, sent.get_json()
    assert sent.get_json()["state"] == "sent" and sent.get_json()["tries"][0]["ok"] is True
    assert "测试" in robots.messages[0][1]["markdown"]["content"]
    log = admin.get("/api/v1/reminders/deliveries?rule=test").get_json()
    assert log["total"] == 1 and log["items"][0]["channel_name"] == "企业微信群"


def test_rule_settings_refuse_bad_thresholds(auth):
    admin = auth("admin")
    _refused(
        admin.patch(
            "/api/v1/reminders/rules/fault_clock_warning", json={"params": {"response_left": -1}}
        ),
        "response_left",
        "reminder_param",
    )
    _refused(
        admin.patch(
            "/api/v1/reminders/rules/fault_clock_warning", json={"params": {"nonsense": 3}}
        ),
        "nonsense",
        "reminder_param",
    )
    _refused(
        admin.patch(
            "/api/v1/reminders/rules/daily_check_missing", json={"params": {"at": "25:00"}}
        ),
        "at",
        "reminder_param",
    )
    assert _count(ReminderRuleSetting) == 0
    saved = admin.patch(
        "/api/v1/reminders/rules/daily_check_missing",
        json={"enabled": False, "params": {"at": "9:30"}},
    )
    assert saved.status_code == 200, saved.get_json()
    rule = saved.get_json()
    assert (
        rule["enabled"] is False
        and {p["name"]: p["value"] for p in rule["params"]}["at"] == "09:30"
    )
    assert admin.patch("/api/v1/reminders/rules/nope", json={"enabled": True}).status_code == 404


def test_subscriptions_name_a_role_or_a_user(auth, robots):
    admin = auth("admin")
    made = admin.post(
        "/api/v1/reminders/channels",
        json={"name": "群", "kind": "wecom", "url": robots.wecom_url()},
    ).get_json()
    path = f"/api/v1/reminders/channels/{made['id']}/subscriptions"
    starting = admin.get(path).get_json()  # a new channel: the duty roles, every rule
    assert [(s["role"], s["rule"]) for s in starting] == [("engineer", None), ("supervisor", None)]
    for sub in starting:
        assert admin.delete(f"{path}/{sub['id']}").status_code == 204
    _refused(admin.post(path, json={}), "role", "subscription_target")
    _refused(admin.post(path, json={"role": "supervisor", "user_id": admin.user.id}), "role")
    _refused(admin.post(path, json={"role": "boss"}), "role")
    added = admin.post(path, json={"role": "supervisor", "rule": "fault_clock_breach"})
    assert added.status_code == 201, added.get_json()
    assert [s["rule"] for s in admin.get(path).get_json()] == ["fault_clock_breach"]
    gone = admin.delete(f"{path}/{added.get_json()['id']}")
    assert gone.status_code == 204 and admin.get(path).get_json() == []
