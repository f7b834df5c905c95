"""Time printing the whole demo inventory (1,178 installed devices) on A4 3x8; target < 3 s and < 2 MB.

Run: /work/venv/bin/python bench/labels.py
Seeds the demo province into a temporary in-memory SQLite (create_app + seed_demo), builds the LabelData
through the server's label service (names as at print time), then times labels.render_pdf alone, and the
whole server path (select, build, render, record the job) once.
"""

import os
import sys
import time
from pathlib import Path

# This script is itself called labels.py: put the repository root first so "labels" is the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SECRET_KEY", "bench")  # no secret_key file written by the bench

import qrcode  # noqa: E402

from labels import get_template, render_pdf  # noqa: E402
from labels.qr import ECC_LEVELS, encode  # noqa: E402

BASE_URL = "https://xj.ybj.guizhou.gov.cn"
PROVINCE = "520000"  # region = the province: every device installed at a site (spares in the store excluded)
REPEAT = 3


def demo_app():
    """The app on an in-memory SQLite holding the demo province."""
    from server import create_app
    from server.config import Config
    from server.extensions import db
    from server.services.demo import seed_demo

    class BenchConfig(Config):
        def __init__(self):
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = "sqlite://"
            self.LABEL_URL_BASE = BASE_URL
            self.LABEL_SUPPORT_PHONE = "0851-8888 6666"

    app = create_app(BenchConfig)
    app.app_context().push()
    db.create_all()
    seed_demo()
    db.session.commit()
    return app


def demo_labels():
    from server.services.labelling.batches import select_devices
    from server.services.labelling.printing import label_data

    return label_data(select_devices({"region": PROVINCE}))


def main() -> None:
    start = time.perf_counter()
    demo_app()
    seed_seconds = time.perf_counter() - start
    start = time.perf_counter()
    labels = demo_labels()
    build_seconds = time.perf_counter() - start
    template = get_template("a4-3x8")
    render_pdf(
        labels[:1], template
    )  # registers the font and caches QR layouts, as a running server would

    qr_runs = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        for label in labels:
            encode(label.url, "M")
        qr_runs.append(time.perf_counter() - start)
    qr_seconds = min(qr_runs)

    start = time.perf_counter()
    for label in labels[:100]:
        reference = qrcode.QRCode(error_correction=ECC_LEVELS["M"], border=0)
        reference.add_data(label.url)
        reference.make(fit=True)
    reference_seconds = (time.perf_counter() - start) * len(labels) / 100

    runs = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        pdf = render_pdf(labels, template)
        runs.append(time.perf_counter() - start)
    seconds = min(runs)  # the best of REPEAT: other processes share the 2 cores

    from server.services.labelling.printing import print_labels

    start = time.perf_counter()
    job = print_labels({"region": PROVINCE}, template.name).job
    server_seconds = time.perf_counter() - start

    pages = -(-len(labels) // template.per_page)
    print(
        f"demo province seeded in {seed_seconds:.2f} s; LabelData for {len(labels)} devices built in "
        f"{build_seconds:.2f} s (select + names at print time)"
    )
    print(f"labels: {len(labels)} on {template.name} ({pages} pages)")
    print(
        f"render_pdf: {seconds:.2f} s, best of {REPEAT} ({', '.join(f'{r:.2f}' for r in runs)}) (target < 3 s)"
    )
    print(f"size: {len(pdf)} bytes = {len(pdf) / 1e6:.2f} MB (target < 2 MB)")
    print(f"QR encode only: {qr_seconds:.2f} s; ratio render/encode: {seconds / qr_seconds:.1f}")
    print(f"(plain qrcode.make() would take about {reference_seconds:.2f} s for the same codes)")
    version_counts = {}
    for label in labels[:50]:
        version = encode(label.url).version
        version_counts[version] = version_counts.get(version, 0) + 1
    print(
        f"whole server path (select, build, render, record job of {job.count}): {server_seconds:.2f} s"
    )
    print(f"QR versions (first 50): {version_counts}; url example: {labels[0].url}")


if __name__ == "__main__":
    main()
