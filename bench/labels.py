"""Time printing the whole demo inventory on A4 3x8: rendering (target < 3 s, < 2 MB) and the whole CLI.

Run: .venv/bin/python bench/labels.py [--rounds 5] [--cold-only]
Seeds the demo province into a temporary SQLite file (create_app + seed_demo), builds the LabelData
through the server's label service (names as at print time), then times labels.render_pdf alone, and the
whole server path (select, build, render, record the job) once. Then the cold start: the whole
`xunjian labels print --all --template a4-3x8` process beside gLabels 3.4 (`glabels-3-batch`, Debian's
`glabels`) on the same rows, alternating rounds (bench/labels_cold.py); without gLabels it says so.
"""

import argparse
import os
import sys
import tempfile
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


def demo_app(database_url: str):
    """The app on a SQLite file holding the demo province (the CLI runs read the same file)."""
    from server import create_app
    from server.config import Config
    from server.extensions import db
    from server.services.demo import seed_demo

    class BenchConfig(Config):
        def __init__(self):
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = database_url
            self.LABEL_URL_BASE = BASE_URL
            self.LABEL_SUPPORT_PHONE = "0851-8888 6666"

    app = create_app(BenchConfig)
    app.app_context().push()
    db.create_all()
    seed_demo()
    db.session.commit()
    return app


def demo_labels(selection: dict):
    from server.services.labelling.batches import select_devices
    from server.services.labelling.printing import label_data

    return label_data(select_devices(selection))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating cold-start rounds")
    parser.add_argument("--cold-only", action="store_true", help="skip the in-process timings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xj-labels-bench-") as folder:
        folder = Path(folder)
        database_url = f"sqlite:///{folder / 'demo.db'}"
        start = time.perf_counter()
        demo_app(database_url)
        seed_seconds = time.perf_counter() - start
        print(f"demo province seeded in {seed_seconds:.2f} s into {database_url}")
        if not args.cold_only:
            in_process()
        cold_start(folder, database_url, args.rounds)


def cold_start(folder: Path, database_url: str, rounds: int) -> None:
    """The whole CLI process beside gLabels, on the rows `--all` selects."""
    from bench.labels_cold import side_by_side
    from server.extensions import db

    labels = demo_labels({"all": True})
    db.session.commit()  # no read lock left on the file the CLI writes its job into
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "XUNJIAN_INSTANCE": str(folder),
        "LABEL_URL_BASE": BASE_URL,
        "LABEL_SUPPORT_PHONE": "0851-8888 6666",
    }
    xunjian = str(Path(sys.executable).with_name("xunjian"))
    print(f"\ncold start, whole process: {xunjian} labels print --all ({len(labels)} labels)")
    side_by_side(labels, folder, env, xunjian, rounds)


def in_process() -> None:
    """render_pdf alone and the server path, in this process (app created, font registered)."""
    start = time.perf_counter()
    labels = demo_labels({"region": PROVINCE})
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
    from server.extensions import db

    db.session.commit()
    server_seconds = time.perf_counter() - start

    pages = -(-len(labels) // template.per_page)
    print(
        f"LabelData for {len(labels)} devices built in {build_seconds:.2f} s "
        "(select + names at print time)"
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
