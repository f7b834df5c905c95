"""Label printing: the print register (jobs and the tags they printed), retired tag aliases, template offsets."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped, utcnow
from server.models.devices import Device
from server.models.users import User

PRINT_KINDS = ("print", "reprint", "retag")
PRINT_FORMATS = ("pdf", "png", "tspl", "zpl")
PRINT_STATUSES = ("done", "failed")  # done: the file handed out or the printer took it


class PrintJob(Base):
    """One print run: who, when, which template and offsets, what selection; the label register."""

    __tablename__ = "print_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(64))  # username, or "cli"
    channel: Mapped[str] = mapped_column(sa.String(8))  # api | cli
    template: Mapped[str] = mapped_column(sa.String(64))
    offset_x_mm: Mapped[float] = mapped_column(default=0.0)
    offset_y_mm: Mapped[float] = mapped_column(default=0.0)
    ecc: Mapped[str] = mapped_column(sa.String(1))
    output: Mapped[str] = mapped_column(sa.String(8))  # pdf | png | tspl | zpl
    dpi: Mapped[int | None]
    kind: Mapped[str] = mapped_column(sa.String(8))  # print | reprint | retag
    selection: Mapped[dict] = mapped_column(
        sa.JSON
    )  # the batch as asked, e.g. {"region": "520100"}
    description: Mapped[str] = mapped_column(sa.String(256))  # the batch in words, for the register
    count: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(8), default="done", server_default="done")
    printer: Mapped[str | None] = mapped_column(sa.String(64))  # a configured printer; None: a file
    error: Mapped[str | None] = mapped_column(sa.String(512))  # why the last send failed
    attempts: Mapped[int] = mapped_column(default=1, server_default="1")

    user: Mapped[User | None] = relationship()
    items: Mapped[list[PrintJobItem]] = relationship(
        back_populates="job", order_by="PrintJobItem.position", viewonly=True
    )


class PrintJobItem(Base):
    """One label of a job: the device and the tag printed on it (the tag may later be retired)."""

    __tablename__ = "print_job_item"
    __table_args__ = (sa.Index("ix_print_job_item_device_id_job_id", "device_id", "job_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(
        sa.ForeignKey("print_job.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"))
    tag: Mapped[str] = mapped_column(sa.String(16), index=True)

    job: Mapped[PrintJob] = relationship(back_populates="items", viewonly=True)
    device: Mapped[Device] = relationship(viewonly=True)


class TagAlias(Timestamped, Base):
    """A retired tag (lost or compromised label) still pointing at its device; scans of it warn."""

    __tablename__ = "tag_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(sa.String(16), unique=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"), index=True)
    retired_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(sa.String(256))
    retired_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    device: Mapped[Device] = relationship(viewonly=True)
    retired_by: Mapped[User | None] = relationship()


class LabelTemplateSetting(Timestamped, Base):
    """This installation's printer drift correction for one template (mm; + moves right / down)."""

    __tablename__ = "label_template_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    offset_x_mm: Mapped[float] = mapped_column(default=0.0)
    offset_y_mm: Mapped[float] = mapped_column(default=0.0)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    updated_by: Mapped[User | None] = relationship()
