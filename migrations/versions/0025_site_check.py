"""site-level checks: table site_check, and the room's daily checklist template (room.daily)

One checklist for a room (display, camera, audio, network, conference) recorded without
scanning each unit; it counts as the site's daily check (docs/meetings.md).

Revision ID: 0025_site_check
Revises: 0024_fault_comments
Create Date: 2026-12-03 14:40:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0025_site_check"
down_revision = "0024_fault_comments"
branch_labels = None
depends_on = None

KEY = "room.daily"
# The template as this revision knows it (frozen: later seed changes make new versions).
ITEMS = [
    ("display", "display.image", "图像清晰、色彩/亮度/饱和度正常、流畅无缺色",
     "Image sharp; colour, brightness, saturation normal; smooth, no missing colours",
     "pass_fail", None, None, None, True),
    ("display", "display.matrix", "视频矩阵等附属设备运行正常、连接可靠",
     "Video matrix and attached equipment running and connected", "pass_fail", None, None, None, True),
    ("camera", "camera.image", "图像清晰、色彩/亮度/饱和度正常、流畅",
     "Image sharp; colour, brightness, saturation normal; smooth", "pass_fail", None, None, None, True),
    ("audio", "audio.running", "调音台、功放、音频处理器、音箱运行正常",
     "Mixer, amplifier, audio processor and speakers running", "pass_fail", None, None, None, True),
    ("network", "network.interfaces", "接口状态正常", "Interface status normal",
     "pass_fail", None, None, None, True),
    ("network", "network.ping.platform", "Ping 平台时延", "Ping to the platform", "number", "ms", 0, 50, True),
    ("network", "network.loss", "丢包率", "Packet loss", "number", "%", 0, 1, True),
    ("video_conference", "video_conference.ping.platform", "Ping 平台时延", "Ping to the platform",
     "number", "ms", 0, 50, True),
    ("video_conference", "video_conference.main.av", "能清晰听到、看到主会场（无中断、卡顿、马赛克）",
     "Main site heard and seen clearly (no breaks, freezes, mosaic)", "pass_fail", None, None, None, True),
    ("general", "notes", "其他情况", "Other observations", "text", None, None, None, False),
]


def _record_columns():
    """FieldRecord's columns: identity, both clocks, where, which app."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("client_time", sa.DateTime(), nullable=False),
        sa.Column("server_time", sa.DateTime(), nullable=False),
        sa.Column("clock_skew_seconds", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("accuracy_m", sa.Double(), nullable=True),
        sa.Column("app_version", sa.String(length=32), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
    ]


INDEXED = ("user_id", "server_time", "site_id", "room_id", "visit_uuid", "checked_at")


def upgrade():
    op.create_table(
        "site_check",
        *_record_columns(),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("visit_uuid", sa.String(length=36), nullable=True),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("inspection_kind", sa.String(length=16), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_site_check_user_id_user")),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_site_check_site_id_site")),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_site_check_room_id_room")),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["checklist_template.id"],
            name=op.f("fk_site_check_template_id_checklist_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_check")),
        sa.UniqueConstraint("uuid", name=op.f("uq_site_check_uuid")),
    )
    with op.batch_alter_table("site_check", schema=None) as batch_op:
        for column in INDEXED:
            batch_op.create_index(batch_op.f(f"ix_site_check_{column}"), [column], unique=False)
    _add_template()


def _add_template():
    """Seeded databases get the room template; an empty one gets it from the seed later."""
    bind = op.get_bind()
    seeded = bind.execute(sa.text("SELECT count(*) FROM checklist_template")).scalar()
    there = bind.execute(
        sa.text("SELECT count(*) FROM checklist_template WHERE key = :key"), {"key": KEY}
    ).scalar()
    if not seeded or there:
        return
    meta = sa.MetaData()
    template = sa.Table("checklist_template", meta, autoload_with=bind)
    item = sa.Table("checklist_item", meta, autoload_with=bind)
    now = datetime.now(UTC).replace(tzinfo=None)
    template_id = bind.execute(
        sa.insert(template).values(
            key=KEY, version=1, device_kind="room", inspection_kind="daily",
            name_zh="会议室每日场所检查", name_en="Room daily site check", active=True,
            created_at=now, updated_at=now,
        )
    ).inserted_primary_key[0]
    bind.execute(
        sa.insert(item),
        [
            {"template_id": template_id, "position": pos, "section": sec, "key": key,
             "label_zh": zh, "label_en": en, "type": kind, "unit": unit, "min_value": low,
             "max_value": high, "photo_required": False, "required": required}
            for pos, (sec, key, zh, en, kind, unit, low, high, required) in enumerate(ITEMS)
        ],
    )


def downgrade():
    bind = op.get_bind()
    ids = [r[0] for r in bind.execute(
        sa.text("SELECT id FROM checklist_template WHERE key = :key"), {"key": KEY})]
    used = bind.execute(sa.text("SELECT count(*) FROM site_check")).scalar()
    with op.batch_alter_table("site_check", schema=None) as batch_op:
        for column in INDEXED:
            batch_op.drop_index(batch_op.f(f"ix_site_check_{column}"))
    op.drop_table("site_check")
    if ids and not used:  # the template goes with its records; inspections never use it
        for template_id in ids:
            bind.execute(sa.text("DELETE FROM checklist_item WHERE template_id = :id"), {"id": template_id})
            bind.execute(sa.text("DELETE FROM checklist_template WHERE id = :id"), {"id": template_id})
