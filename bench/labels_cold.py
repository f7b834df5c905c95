"""The whole `xunjian labels print` process beside gLabels 3 (`glabels-3-batch`), same rows, same sheet.

Used by bench/labels.py. Both tools start from nothing each round (a new process: interpreter or
binary start, reading the data, rendering, the PDF written); rounds alternate between the tools so
a load spike on the shared machine hits both. Reported: the median wall time and the median CPU
time (user + sys of the child, from the kernel), per tool, and their ratio.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from xml.sax.saxutils import quoteattr

GLABELS = "glabels-3-batch"
FIELDS = ("tag", "url", "type", "model", "place", "owner", "support")
FONT = "Droid Sans Fallback"  # Debian's CJK face; pango picks a fallback for any glyph it lacks

# A4 3x8 as templates.json has it (70 x 37 mm, top margin 0.5 mm); objects placed as layout_label
# puts them: the QR square on the left, the tag, type, model and place in a column, two footer lines.
TEMPLATE = """  <Template brand="Xunjian" part="A4-3x8" size="A4" description="70 x 37 mm">
    <Meta category="label"/>
    <Label-rectangle id="0" width="70mm" height="37mm" round="0mm" x_waste="0mm" y_waste="0mm">
      <Markup-margin size="2.5mm"/>
      <Layout nx="3" ny="8" x0="0mm" y0="0.5mm" dx="70mm" dy="37mm"/>
    </Label-rectangle>
  </Template>"""
BARCODE = (
    '    <Object-barcode x="2.5mm" y="2.5mm" w="25mm" h="25mm" backend="libqrencode"'
    ' style="IEC18004" text="False" checksum="True" color="0x000000ff" field="url" format="10"'
    ' a0="1" a1="0" a2="0" a3="1" a4="0" a5="0"/>'
)
TEXTS = (  # field, x, y, width, height (mm), size (pt), weight
    ("tag", 28.5, 2.5, 39, 6, 14, "Bold"),
    ("type", 28.5, 9.0, 39, 6, 7, "Regular"),
    ("model", 28.5, 15.5, 39, 6, 7, "Regular"),
    ("place", 28.5, 22.0, 39, 6, 6.3, "Regular"),
    ("owner", 2.5, 28.5, 65, 3, 6, "Regular"),
    ("support", 2.5, 31.5, 65, 3, 6, "Regular"),
)


def write_glabels_input(labels, folder: Path) -> tuple[Path, Path]:
    """The rows as a CSV (first line: the keys) and a gLabels document merging it."""
    rows = folder / "labels.csv"
    with rows.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for label in labels:
            place = " · ".join(p for p in (label.site_name, label.room_name) if p)
            writer.writerow(
                [
                    label.tag,
                    label.url,
                    label.type_name,
                    label.model,
                    place,
                    label.owner_line,
                    label.support_line,
                ]
            )
    texts = "\n".join(
        f'    <Object-text x="{x}mm" y="{y}mm" w="{w}mm" h="{h}mm" justify="Left" valign="Top"'
        f' auto_shrink="True" a0="1" a1="0" a2="0" a3="1" a4="0" a5="0">\n'
        f'      <Span color="0x000000ff" font_family="{FONT}" font_size="{size}"'
        f' font_weight="{weight}" font_italic="False" line_spacing="1"><Field name="{field}"/></Span>\n'
        f"    </Object-text>"
        for field, x, y, w, h, size, weight in TEXTS
    )
    document = folder / "labels.glabels"
    document.write_text(
        '<?xml version="1.0"?>\n<Glabels-document xmlns="http://glabels.org/xmlns/3.0/">\n'
        f'{TEMPLATE}\n  <Objects id="0" rotate="False">\n{BARCODE}\n{texts}\n  </Objects>\n'
        f'  <Merge type="Text/Comma/Line1Keys" src={quoteattr(str(rows))}/>\n  <Data/>\n'
        "</Glabels-document>\n",
        encoding="utf-8",
    )
    return document, rows


def timed(command: list[str], env: dict, output: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one whole process; it must write output."""
    output.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or not output.exists() or output.stat().st_size == 0:
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def pdf_pages(path: Path) -> int:
    """Pages of a PDF (pdfium when the test extra is installed, else the page objects counted)."""
    try:
        import pypdfium2
    except ImportError:
        return path.read_bytes().count(b"/Type /Page\n") or path.read_bytes().count(b"/Type/Page")
    return len(pypdfium2.PdfDocument(str(path)))


def side_by_side(labels, folder: Path, env: dict, xunjian: str, rounds: int) -> None:
    """Alternate the two tools for rounds rounds and print the medians, the ratios and the load."""
    ours = [xunjian, "labels", "print", "--all", "--template", "a4-3x8", "-o"]
    ours_out, theirs_out = folder / "xunjian.pdf", folder / "glabels.pdf"
    glabels = shutil.which(GLABELS)
    if glabels:
        document, rows = write_glabels_input(labels, folder)
        theirs = [glabels, "-i", str(rows), "-o", str(theirs_out), str(document)]
        glabels_env = {**os.environ, "LC_ALL": "C.UTF-8", "NO_AT_BRIDGE": "1"}
    else:
        print(
            f"gLabels: {GLABELS} is not installed (Debian: apt-get install glabels), "
            "so only xunjian is timed; no ratio."
        )
    print(f"load average before: {Path('/proc/loadavg').read_text().strip()}")
    times = {"xunjian": [], "glabels": []}
    for n in range(rounds):
        order = [("xunjian", ours + [str(ours_out)], env, ours_out)]
        if glabels:
            step = ("glabels", theirs, glabels_env, theirs_out)
            order = order + [step] if n % 2 == 0 else [step] + order
        for name, command, run_env, out in order:
            times[name].append(timed(command, run_env, out))
    print(f"load average after:  {Path('/proc/loadavg').read_text().strip()}")
    _report("xunjian labels print", times["xunjian"], ours_out)
    if glabels:
        _report("glabels-3-batch     ", times["glabels"], theirs_out)
        (ow, oc), (gw, gc) = (_medians(times["xunjian"]), _medians(times["glabels"]))
        print(
            f"gLabels / xunjian: {gw / ow:.1f}x wall, {gc / oc:.1f}x CPU "
            f"(target: at least 5x; {len(labels)} labels, {rounds} alternating rounds)"
        )


def _medians(runs) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def _report(name: str, runs, output: Path) -> None:
    wall, cpu = _medians(runs)
    each = ", ".join(f"{w:.2f}/{c:.2f}" for w, c in runs)
    print(
        f"{name}: median {wall:.2f} s wall, {cpu:.2f} s CPU (user+sys); runs wall/CPU: {each}; "
        f"{pdf_pages(output)} pages, {output.stat().st_size / 1e6:.2f} MB"
    )
