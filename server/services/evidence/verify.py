"""`xunjian evidence verify`: re-compute the server's chain, each record's content hash and
stored fields, the phones' chains and the referenced photos; name the first mismatch."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import sqlalchemy as sa

from server.extensions import db
from server.models import GENESIS_HASH, EvidenceHead, EvidenceLink, SyncReceipt
from server.services.core.photo_store import SHA256_RE, get_store
from server.services.evidence import records
from server.services.sync import chain
from server.services.sync.envelope import hash_canonical

CHUNK = 500


@dataclass(frozen=True)
class Finding:
    """One record that does not match: its link's seq, type, uuid and what differs."""

    seq: int | None
    record_type: str | None
    uuid: str | None
    what: str

    def line(self) -> str:
        where = f"link {self.seq} " if self.seq is not None else ""
        record = f"{self.record_type} {self.uuid}: " if self.uuid else ""
        return f"{where}{record}{self.what}"


@dataclass
class Report:
    problems: list[Finding] = field(default_factory=list)  # tampering: verify fails
    gaps: list[Finding] = field(default_factory=list)  # a phone's record never seen: review
    missing_photos: list[Finding] = field(default_factory=list)  # not uploaded (yet)
    links: int = 0
    photos: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _chunks():
    last = 0
    while True:
        links = db.session.scalars(
            sa.select(EvidenceLink)
            .where(EvidenceLink.seq > last)
            .order_by(EvidenceLink.seq)
            .limit(CHUNK)
        ).all()
        if not links:
            return
        yield links
        last = links[-1].seq
        db.session.expunge_all()


def _link_problems(link, prev: str, expected_seq: int) -> list[str]:
    found = []
    if link.seq != expected_seq:
        found.append(f"links {expected_seq} to {link.seq - 1} are missing from the chain")
    if link.prev_link_hash != prev:
        found.append("its previous-link hash is not the hash of the link before it")
    again = chain.link_hash(
        link.prev_link_hash, link.record_type, link.record_uuid, link.content_hash, link.server_time
    )
    if again != link.hash:
        found.append("its link hash does not match its type, uuid, content hash and server time")
    if hash_canonical(link.payload) != link.content_hash:
        found.append(
            "what the phone sent (kept with the link) no longer hashes to its content hash"
        )
    return found


def _receipt_problems(links: list) -> dict[str, list[str]]:
    uuids = [link.record_uuid for link in links]
    receipts = {
        r.uuid: r
        for r in db.session.execute(
            sa.select(SyncReceipt.uuid, SyncReceipt.content_hash, SyncReceipt.record_type).where(
                SyncReceipt.uuid.in_(uuids)
            )
        )
    }
    found: dict[str, list[str]] = {}
    for link in links:
        receipt = receipts.get(link.record_uuid)
        if receipt is None:
            found[link.record_uuid] = ["its sync receipt is gone"]
        elif (receipt.content_hash, receipt.record_type) != (link.content_hash, link.record_type):
            found[link.record_uuid] = [
                f"its sync receipt says {receipt.record_type} {receipt.content_hash}, "
                f"the chain {link.record_type} {link.content_hash}"
            ]
    return found


def _photo_names(value, key: str = "") -> list[str]:
    """Every SHA-256 a payload names under a key about photos (photos, signature_photo_id...)."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _photo_names(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in _photo_names(v, key)]
    if isinstance(value, str) and "photo" in key and SHA256_RE.match(value):
        return [value]
    return []


def _check_photos(named: dict[str, tuple], report: Report) -> None:
    store = get_store()
    for sha in sorted(named):
        seq, record_type, uuid = named[sha]
        report.photos += 1
        if not store.exists(sha):
            report.missing_photos.append(
                Finding(seq, record_type, uuid, f"photo {sha} not in the store")
            )
            continue
        digest = hashlib.sha256()
        with store.open(sha) as stream:
            while chunk := stream.read(1 << 16):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            report.problems.append(
                Finding(
                    seq,
                    record_type,
                    uuid,
                    f"photo {sha} was altered: its bytes hash to {digest.hexdigest()}",
                )
            )


def _check_head(prev: str, last_seq: int, report: Report) -> None:
    head = db.session.get(EvidenceHead, chain.HEAD_ID)
    seq, value = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if (seq, value) != (last_seq, prev):
        report.problems.append(
            Finding(
                None,
                None,
                None,
                f"the chain head says link {seq} {value}, the last link is {last_seq} {prev}",
            )
        )


def _gaps(report: Report) -> None:
    query = sa.select(EvidenceLink).where(chain.gap_filter()).order_by(EvidenceLink.seq)
    for link in db.session.scalars(query):
        report.gaps.append(
            Finding(
                link.seq,
                link.record_type,
                link.record_uuid,
                f"phone {link.phone_id} names a previous record {link.prev_hash} "
                "the server never received",
            )
        )


def run() -> Report:
    """Verify everything; problems in chain order (the first one is the first bad record)."""
    report, prev, expected, photos = Report(), GENESIS_HASH, 1, {}
    for links in _chunks():
        rows = records.differences(links)
        receipts = _receipt_problems(links)
        for link in links:
            report.links += 1
            whats = _link_problems(link, prev, expected)
            whats += receipts.get(link.record_uuid, []) + rows.get(link.record_uuid, [])
            report.problems += [
                Finding(link.seq, link.record_type, link.record_uuid, w) for w in whats
            ]
            for sha in _photo_names(link.payload):
                photos.setdefault(sha, (link.seq, link.record_type, link.record_uuid))
            prev, expected = link.hash, link.seq + 1
    _check_head(prev, expected - 1, report)
    _check_photos(photos, report)
    _gaps(report)
    report.problems.sort(key=lambda f: (f.seq is None, f.seq or 0))  # stable: chain order
    return report
