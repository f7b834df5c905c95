"""`xunjian labels`: templates by name, print batches to PDF/PNG/ZIP, errors exit 2 and record nothing."""

import zipfile

import pytest
import sqlalchemy as sa

from server.models import Device, PrintJob


def run(app, *args):
    return app.test_cli_runner().invoke(args=["labels", *args])


def jobs(db) -> list[PrintJob]:
    return list(db.session.scalars(sa.select(PrintJob).order_by(PrintJob.id)))


def test_templates_lists_names_with_sizes(app):
    result = run(app, "templates")
    assert result.exit_code == 0
    assert "a4-3x8" in result.output and "roll-40x30   40 x 30 mm" in result.output


def test_print_a_county_to_pdf_is_recorded_as_cli(app, db, demo, tmp_path):
    out = tmp_path / "county.pdf"
    result = run(
        app, "print", "--template", "a4-3x8", "--region", "520102", "--ecc", "Q", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    [job] = jobs(db)
    assert (job.channel, job.actor_label, job.ecc, job.kind) == ("cli", "cli", "Q", "print")
    assert f"Printed {job.count} labels on a4-3x8" in result.output


def test_png_one_label_several_files_or_a_zip(app, db, demo, tmp_path):
    some = list(db.session.scalars(sa.select(Device.tag).order_by(Device.id).limit(3)))
    one = tmp_path / "one.png"
    assert (
        run(
            app,
            "print",
            "--template",
            "roll-40x30",
            "--tags",
            some[0],
            "--dpi",
            "300",
            "-o",
            str(one),
        ).exit_code
        == 0
    )
    assert one.read_bytes().startswith(b"\x89PNG")
    many = tmp_path / "many.png"
    assert (
        run(
            app, "print", "--template", "roll-40x30", "--tags", ",".join(some), "-o", str(many)
        ).exit_code
        == 0
    )
    assert sorted(p.name for p in tmp_path.glob("many-*.png")) == [
        f"many-{n:04d}-{tag}.png" for n, tag in enumerate(some, 1)
    ]
    archive = tmp_path / "labels.zip"
    assert (
        run(
            app, "print", "--template", "roll-40x30", "--tags", ",".join(some), "-o", str(archive)
        ).exit_code
        == 0
    )
    assert len(zipfile.ZipFile(archive).namelist()) == 3
    assert [j.kind for j in jobs(db)] == ["print", "print", "reprint"]  # the 2nd job had 2 new tags


@pytest.mark.parametrize(
    "args,words",
    [
        (["--template", "nope", "--all"], "Unknown label template 'nope'"),
        (["--template", "a4-3x8"], "Choose a batch"),
        (["--template", "a4-3x8", "--tags", "GZ12345"], "Cannot print these tags: GZ12345"),
        (["--template", "a4-3x8", "--region", "520102", "--type", "L05"], "No device matches"),
        (["--template", "a4-3x8", "--printed-before", "2020-01-01"], "No device matches"),
    ],
)
def test_errors_exit_2_print_nothing_record_nothing(app, db, demo, tmp_path, args, words):
    out = tmp_path / "x.pdf"
    result = run(app, "print", *args, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert not out.exists() and jobs(db) == []


def test_unwritable_output_records_nothing(app, db, demo, tmp_path):
    bad_suffix = run(app, "print", "--template", "a4-3x8", "--all", "-o", str(tmp_path / "x.txt"))
    assert (
        bad_suffix.exit_code == 2 and "name it .pdf, .png, .zip, .tspl or .zpl" in bad_suffix.output
    )
    no_folder = run(
        app, "print", "--template", "a4-3x8", "--all", "-o", str(tmp_path / "missing" / "x.pdf")
    )
    assert no_folder.exit_code == 2 and "does not exist" in no_folder.output
    assert jobs(db) == []
