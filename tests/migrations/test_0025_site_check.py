"""0025 adds the site_check table and the room's daily checklist to a seeded database."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

BEFORE = "0022_site_close"


def _seed_one_template(old) -> None:
    template = old.insert(
        "checklist_template",
        key="display.daily",
        version=1,
        device_kind="display",
        inspection_kind="daily",
        name_zh="显示系统每日健康检查",
        name_en="display system daily health check",
        active=True,
    )
    old.insert(
        "checklist_item",
        template_id=template,
        position=0,
        key="image",
        section="display",
        label_zh="图像清晰",
        label_en="Image sharp",
        type="pass_fail",
        photo_required=False,
        required=True,
    )


def test_upgrade_adds_the_table_and_the_room_template(at_revision):
    old = at_revision(BEFORE)
    _seed_one_template(old)
    old.upgrade("0025_site_check")
    assert "site_check" in sa.inspect(db.engine).get_table_names()
    key = old.scalar("SELECT device_kind FROM checklist_template WHERE key = 'room.daily'")
    assert key == "room"
    sections = {
        row[0]
        for row in db.session.execute(
            sa.text(
                "SELECT i.section FROM checklist_item i JOIN checklist_template t"
                " ON t.id = i.template_id WHERE t.key = 'room.daily'"
            )
        )
    }
    assert {"display", "camera", "audio", "network", "video_conference"} <= sections
    db.session.commit()
    downgrade(revision=BEFORE)
    assert "site_check" not in sa.inspect(db.engine).get_table_names()
    assert not old.scalar("SELECT count(*) FROM checklist_template WHERE key = 'room.daily'")
    assert old.scalar("SELECT count(*) FROM checklist_template") == 1


def test_an_empty_database_gets_no_template_from_the_migration(at_revision):
    old = at_revision(BEFORE)
    old.upgrade("0025_site_check")
    assert old.scalar("SELECT count(*) FROM checklist_template") == 0
