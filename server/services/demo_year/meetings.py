"""The demo year's meetings: the bureau's calendar of video conferences, major events and holiday
guarantees, software meetings, a Zunyi prefecture meeting and a relocation, created by the
supervisor through the meetings service a week ahead, then worked by the engineers' phones
(demo_year/meeting_work.py). A DEMO_YEAR_EXTRAS hook; docs/demo.md lists what it makes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from server.extensions import db
from server.models import Room, Site
from server.services.calendar import workdays
from server.services.demo_year import meeting_work
from server.services.demo_year.clock import china
from server.services.meetings import inputs
from server.services.meetings import meetings as meeting_service

PROVINCIAL_PER_MONTH = 2
FAULTS = 2  # in-meeting incidents of the year raised as faults
PREFECTURE = "520300"  # Zunyi: the contract's example of a prefecture-wide meeting
# (day, title, kind, major-event flag, hours): the year's major meetings and holiday guarantees
MAJOR = (
    (date(2025, 1, 22), "春节前全省医保系统安全稳定工作视频会议", "major", True, 2),
    (date(2025, 2, 18), "2025年全省医疗保障工作会议", "major", True, 3),
    (date(2025, 3, 6), "全国两会期间全省医保系统值班调度视频会", "provincial_video", True, 1),
    (date(2025, 9, 28), "国庆节前全省医保系统安全生产视频会议", "major", True, 2),
)
OTHER = (  # (month, title, kind, platform)
    (2, "医保信息平台上线培训（腾讯会议）", "software", "tencent_meeting"),
    (4, "省局与国家医保局业务对接会（钉钉）", "software", "dingtalk"),
    (5, "遵义市医保系统全市视频会议（协助）", "prefecture_assist", None),
    (6, "省局党组理论学习中心组扩大会议", "other_av", None),
    (7, "县局会议室迁移指导", "relocation", None),
    (8, "医保基金监管专题培训（腾讯会议）", "software", "tencent_meeting"),
    (10, "异地就医结算工作推进会（钉钉）", "software", "dingtalk"),
    (11, "省局年度工作总结视频会", "other_av", None),
)
PROVINCIAL_TITLES = (
    "全省医保基金监管工作视频会议",
    "全省医保支付方式改革推进会",
    "全省医保经办服务工作视频调度会",
    "全省医保信息化建设工作视频会议",
    "全省医保系统作风建设视频会议",
    "全省医保待遇保障工作推进会",
)


@dataclass
class Planned:
    starts_at: datetime
    title: str
    kind: str
    major_event: bool = False
    hours: int = 2
    platform: str | None = None


def main_room(site: Site) -> Room | None:
    """A bureau's main conference room (every bureau has one, docs/demo.md)."""
    return db.session.scalar(
        sa.select(Room)
        .where(Room.site_id == site.id, Room.kind == "main_conference")
        .order_by(Room.id)
    )


def _free_day(rng: random.Random, days: list[date], taken: set[date]) -> date:
    free = [d for d in days if d not in taken] or days
    day = rng.choice(free)
    taken.add(day)
    return day


def calendar(rng: random.Random, year: int, months: int) -> list[Planned]:
    """Every meeting of the simulated months, in time order (the same seed, the same year)."""
    planned, taken = [], set()
    for day, title, kind, flag, hours in MAJOR:
        if day.year == year and day.month <= months:
            planned.append(Planned(china(day, 9, 0), title, kind, flag, hours))
            taken.add(day)
    for month in range(1, months + 1):
        days = [
            d
            for d in workdays.working_days(date(year, month, 1), _month_end(year, month))
            if d.day > 2
        ]
        for _ in range(PROVINCIAL_PER_MONTH):
            day = _free_day(rng, days, taken)
            hour = rng.choice((9, 9, 10, 15))
            title = rng.choice(PROVINCIAL_TITLES)
            planned.append(
                Planned(china(day, hour, 30 if hour != 10 else 0), title, "provincial_video")
            )
        for other_month, title, kind, platform in OTHER:
            if other_month == month:
                day = _free_day(rng, days, taken)
                at = china(day, rng.choice((10, 14, 15)), 0)
                planned.append(
                    Planned(at, title, kind, platform=platform, hours=rng.choice((1, 2)))
                )
    return sorted(planned, key=lambda p: p.starts_at)


def _month_end(year: int, month: int) -> date:
    after = date(year + month // 12, month % 12 + 1, 1)
    return after - timedelta(days=1)


def _sites(rng: random.Random, planned: Planned, bureaus: list[Site]) -> dict:
    """Participants and speaking sites: a provincial meeting reaches 20–99 bureaus."""
    counties = [s for s in bureaus if s.tier == "county"]
    if planned.kind == "prefecture_assist":
        zunyi = [s for s in bureaus if s.prefecture_code == PREFECTURE]
        speaking = [PREFECTURE] + [s.code for s in rng.sample(zunyi[1:], 3)]
        return {"site_scope": "prefecture", "prefecture_code": PREFECTURE, "speaking": speaking}
    if planned.kind == "relocation":
        county = rng.choice(counties)
        return {"site_scope": "list", "site_codes": [county.code], "speaking": [county.code]}
    if planned.kind in ("major",) or (planned.major_event and rng.random() < 0.5):
        chosen = bureaus
    elif planned.kind in ("software", "other_av"):
        chosen = rng.sample(bureaus, rng.randint(3, 12))
    else:
        chosen = rng.sample(bureaus, rng.randint(20, len(bureaus) - 1))
    prefectures = [s.code for s in chosen if s.tier == "prefecture"]
    speaking = rng.sample(prefectures, min(len(prefectures), rng.randint(2, 4))) or [chosen[0].code]
    scope = "all" if chosen is bureaus else "list"
    return {"site_scope": scope, "site_codes": [s.code for s in chosen], "speaking": speaking}


def _host(planned: Planned, sites: dict, province: Site) -> Site:
    if planned.kind == "prefecture_assist":
        return inputs.site_by_code(PREFECTURE, "host_site_code")
    if planned.kind == "relocation":
        return inputs.site_by_code(sites["site_codes"][0], "host_site_code")
    return province


def create(year, rng: random.Random, planned: Planned, bureaus: list[Site]):
    """The supervisor schedules the meeting a week ahead (the service's clock then)."""
    sites = _sites(rng, planned, bureaus)
    host = _host(planned, sites, year.province)
    room = main_room(host)
    engineers = year.engineers[:2] if planned.kind == "major" else year.engineers[:1]
    values = {
        "title": planned.title,
        "kind": planned.kind,
        "platform": planned.platform,
        "host_site_code": host.code,
        "host_room_id": room.id if room else None,
        "site_scope": sites["site_scope"],
        "prefecture_code": sites.get("prefecture_code"),
        "site_codes": sites.get("site_codes") if sites["site_scope"] == "list" else None,
        "speaking_codes": sites["speaking"],
        "engineer_ids": [e.id for e in engineers],
        "starts_at": planned.starts_at,
        "ends_at": planned.starts_at + timedelta(hours=planned.hours),
        "major_event": planned.major_event,
        "notes": "重大活动及节假日保障" if planned.major_event else None,
    }
    with meeting_work.service_clock(planned.starts_at - timedelta(days=rng.randint(3, 8))):
        return meeting_service.create(values, year.supervisor)


def add_demo_meetings(year) -> None:
    """DEMO_YEAR_EXTRAS hook: the year's meetings, each created then worked, in time order."""
    rng = random.Random(year.options.seed * 100 + 15)  # its own stream: the year stays as it was
    bureaus = inputs.bureaus()
    planned = calendar(rng, year.options.year, year.options.months)
    # One or two incidents of the year become faults: one at a guarantee meeting if any.
    guarantee = [i for i, p in enumerate(planned) if p.major_event]
    others = [i for i, p in enumerate(planned) if not p.major_event and p.kind != "relocation"]
    faulted = set(rng.sample(guarantee, min(1, len(guarantee))))
    faulted |= set(rng.sample(others, min(FAULTS - len(faulted), len(others))))
    for index, item in enumerate(planned):
        meeting = create(year, rng, item, bureaus)
        year.counts["meetings"] += 1
        year.counts["major_event_meetings"] += int(meeting.major_event)
        meeting_work.work(year, rng, meeting, index in faulted)
