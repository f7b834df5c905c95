"""Locust users for bench/load.py: the province's engineers syncing at once (docs/scaling.md).

Each user signs in as its own engineer, pulls the field pack, then loops: a visit with 10-12
inspections and 3-5 photos of ~300 KB, pushed as one batch, the photos uploaded after the facts
(as the phone does). The second loop, then every third, re-syncs after a cut: the push's answer
is lost (the batch is sent again and must come back all `duplicate`) and a photo upload is cut
half way (then sent whole). Every acknowledged record and photo goes to a journal that bench/load.py checks against
the database and the photo store afterwards.

    locust -f bench/load_users.py --headless ...   (bench/load.py runs it; env XJ_LOAD_PLAN)
"""

from __future__ import annotations

import hashlib
import http.client
import io
import itertools
import json
import os
import random
import ssl
import time
import uuid as uuidlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, events, task

PLAN = (
    json.loads(Path(os.environ["XJ_LOAD_PLAN"]).read_text()) if "XJ_LOAD_PLAN" in os.environ else {}
)
JOURNAL = Path(PLAN.get("journal", "/tmp")) / f"journal-{os.getpid()}.jsonl"
NEXT_ACCOUNT = itertools.count()
CUT_EVERY = 3  # the second loop of each user, then every third


def iso(offset: timedelta = timedelta(0)) -> str:
    return (datetime.now(UTC) + offset).isoformat()


def envelope(rtype: str, data: dict) -> dict:
    return {
        "uuid": str(uuidlib.uuid4()),
        "type": rtype,
        "client_time": iso(),
        "app_version": "load-0.1",
        "position": {"lat": 26.6 + random.random() / 100, "lon": 106.7, "accuracy": 15.0},
        "data": data,
    }


def answer(item: dict, photo: str | None) -> dict:
    """A passing answer, with the photo on the items that take one."""
    if item["type"] == "number":
        low, high = item.get("min"), item.get("max")
        return {"key": item["key"], "value": (low + high) / 2 if None not in (low, high) else 1.0}
    if item["type"] == "text":
        return {"key": item["key"], "value": "正常"}
    photos = [photo] if photo and (item["type"] == "photo" or item.get("photo_required")) else []
    return {"key": item["key"], "value": "pass", **({"photos": photos} if photos else {})}


def noise_jpeg(rng: random.Random, size: int = 300_000) -> bytes:
    """A distinct JPEG of about `size` bytes (noise at quality 80 costs ~0.7 byte a pixel)."""
    from PIL import Image

    side = int((size / 0.7) ** 0.5)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class Journal:
    """Acknowledged records and photos of this process, appended line by line."""

    def __init__(self, path: Path) -> None:
        self.handle = path.open("a", encoding="utf-8")

    def write(self, **row) -> None:
        self.handle.write(json.dumps(row) + "\n")
        self.handle.flush()


journal = Journal(JOURNAL) if PLAN else None


class Engineer(HttpUser):
    """One engineer's phone: sign in, pull, then visits pushed and photographed in a loop."""

    wait_time = staticmethod(lambda: random.uniform(0.2, 1.0))

    def on_start(self) -> None:
        self.account = PLAN["accounts"][next(NEXT_ACCOUNT) % len(PLAN["accounts"])]
        self.rng = random.Random(self.account["username"])
        self.client.verify = False  # the local certificate; the run is on this machine
        signed = self.client.post(
            "/api/v1/auth/login",
            json={"username": self.account["username"], "password": PLAN["password"]},
        ).json()
        self.client.headers["X-CSRF-Token"] = signed["csrf_token"]
        pack = self.client.get("/api/v1/sync/pull", name="pull").json()
        self.units = self.units_by_site(pack)
        self.loops = 0

    @staticmethod
    def units_by_site(pack: dict) -> list[tuple[str, list[tuple[str, dict]]]]:
        """(site code, [(tag, quarterly template)]) for every site with units to inspect."""
        kinds = {t["id"]: t["kind"] for t in pack["device_types"]}
        templates = {
            t["device_kind"]: t for t in pack["templates"] if t["inspection_kind"] == "quarterly"
        }
        room_site = {r["id"]: r["site_id"] for r in pack["rooms"]}
        codes = {s["id"]: s["code"] for s in pack["sites"] if s["tier"] != "store"}
        sites: dict[str, list] = {}
        for device in pack["devices"]:
            site = codes.get(room_site.get(device["room_id"]))
            template = templates.get(kinds[device["type_id"]])
            if site and template and device["status"] == "in_service":
                sites.setdefault(site, []).append((device["tag"], template))
        return sorted((code, units) for code, units in sites.items() if len(units) >= 10)

    def visit_records(self) -> tuple[list[dict], dict[str, bytes]]:
        site, units = self.units[self.rng.randrange(len(self.units))]
        visit = envelope(
            "visit", {"site_code": site, "inspection_kind": "quarterly", "started_at": iso()}
        )
        chosen = self.rng.sample(units, min(len(units), self.rng.randint(10, 12)))
        photos = {}
        for _ in range(self.rng.randint(3, 5)):
            data = noise_jpeg(self.rng)
            photos[hashlib.sha256(data).hexdigest()] = data
        shas = list(photos)
        records = [visit]
        for n, (tag, template) in enumerate(chosen):
            photo = shas[n] if n < len(shas) else None
            body = {
                "visit_uuid": visit["uuid"],
                "tag": tag,
                "template_id": template["id"],
                "template_version": template["version"],
                "inspection_kind": "quarterly",
                "results": [answer(item, photo) for item in template["items"]],
                "notes": None,
                "photos": [photo] if photo else [],
            }
            records.append(envelope("inspection", body))
        return records, photos

    @task
    def record_a_visit(self) -> None:
        self.loops += 1
        cut = self.loops % CUT_EVERY == 2
        records, photos = self.visit_records()
        self.push(records, expect="created")
        if cut:  # the answer was lost on the way back: the phone sends the batch again
            self.push(records, expect="duplicate", name="push (replay after a cut)")
        for n, (sha, data) in enumerate(photos.items()):
            if cut and n == 0:
                self.cut_upload(sha, data)
            self.upload(sha, data)

    def push(self, records: list[dict], expect: str, name: str = "push") -> None:
        payload = {"records": records, "sent_at": iso()}
        with self.client.post(
            "/api/v1/sync/push", json=payload, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return
            answers = response.json()["results"]
            wrong = [a for a in answers if a["status"] != expect]
            if wrong:
                response.failure(f"expected {expect}, got {wrong[0]}")
                return
            for record in records:
                journal.write(
                    kind="record", type=record["type"], uuid=record["uuid"], status=expect
                )

    def upload(self, sha: str, data: bytes) -> None:
        with self.client.put(
            f"/api/v1/photos/{sha}",
            data=data,
            headers={"Content-Type": "image/jpeg"},
            name="photo",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return
            journal.write(kind="photo", sha256=sha, size=len(data))

    def cut_upload(self, sha: str, data: bytes) -> None:
        """Half the photo's bytes, then the connection closes (the signal dropped)."""
        url = urlsplit(self.host)
        started = time.perf_counter()
        conn = (
            http.client.HTTPSConnection(
                url.hostname, url.port, timeout=30, context=ssl._create_unverified_context()
            )
            if url.scheme == "https"
            else http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        )
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
        conn.putrequest("PUT", f"/api/v1/photos/{sha}")
        for header, value in (
            ("Content-Type", "image/jpeg"),
            ("Content-Length", str(len(data))),
            ("Cookie", cookies),
            ("X-CSRF-Token", self.client.headers["X-CSRF-Token"]),
        ):
            conn.putheader(header, value)
        conn.endheaders()
        conn.send(data[: len(data) // 2])
        conn.close()
        events.request.fire(
            request_type="PUT",
            name="photo (cut half way)",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=None,
            context={},
        )
