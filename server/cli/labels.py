"""`xunjian labels`: list templates and print a batch to PDF or PNG (recorded in the label register)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from server.cli.run import run
from server.errors import Invalid

OUTPUTS = {".pdf": "pdf", ".png": "png", ".zip": "png"}


@click.group("labels")
def labels_group() -> None:
    """QR asset labels."""


@labels_group.command("templates")
@with_appcontext
def templates_command() -> None:
    """List the label templates by name (the name carries the size), with stored offsets."""
    from server.services.labelling.printing import list_templates

    for row in list_templates():
        t = row["template"]
        click.echo(
            f"{t.name:<12} {t.label_width:g} x {t.label_height:g} mm, {t.per_page} per page, "
            f"offset {t.offset_x:+g}/{t.offset_y:+g} mm  {t.description}"
        )


def _tags(_ctx, _param, value: str | None) -> list[str] | None:
    return [t for t in (value or "").replace(" ", ",").split(",") if t] or None


@labels_group.command("print")
@click.option(
    "--template",
    "template_name",
    required=True,
    help="Template name, see `xunjian labels templates`.",
)
@click.option("--all", "all_", is_flag=True, help="Every device (not retired).")
@click.option("--site", help="Site code.")
@click.option("--region", help="Prefecture or county code (the province code: every site).")
@click.option("--type", "type_code", help="Device type code.")
@click.option("--kind", help="Device kind, e.g. camera.")
@click.option("--tags", callback=_tags, help="Comma-separated tags, e.g. GZ3K7M2Q,GZ9ABCDE.")
@click.option("--never-printed", is_flag=True, help="Devices whose current tag was never printed.")
@click.option(
    "--printed-before",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Latest label printed before this day.",
)
@click.option(
    "--ecc", type=click.Choice(["M", "Q"]), help="QR error correction (default: the template's)."
)
@click.option("--dpi", type=click.Choice(["203", "300"]), help="PNG resolution (default 203).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.pdf; FILE.png (several labels: FILE-0001-TAG.png ...); FILE.zip (PNGs).",
)
@with_appcontext
def print_command(
    template_name,
    all_,
    site,
    region,
    type_code,
    kind,
    tags,
    never_printed,
    printed_before,
    ecc,
    dpi,
    output: Path,
) -> None:
    """Print a batch of labels; criteria combine (AND). Nothing is recorded when anything is wrong."""
    selection = {
        "all": all_,
        "site": site,
        "region": region,
        "type": type_code,
        "kind": kind,
        "tags": tags,
        "never_printed": never_printed,
        "printed_before": printed_before.date() if printed_before else None,
    }
    job, written = run(
        _print_and_write, selection, template_name, output, ecc, int(dpi) if dpi else None
    )
    shown = written[0] if len(written) == 1 else f"{len(written)} files ({written[0]} and so on)"
    click.echo(
        f"Printed {job.count} labels on {job.template} ({job.kind}, job {job.id}) to {shown}."
    )


def _print_and_write(selection: dict, template_name: str, output: Path, ecc, dpi) -> tuple:
    """Render, record, then write the file(s) inside the transaction: a failed write records nothing."""
    from server.services.labelling.printing import print_labels

    suffix = output.suffix.lower()
    if suffix not in OUTPUTS:
        raise Invalid(f"Cannot tell the format of {output}: name it .pdf, .png or .zip.")
    if not output.parent.is_dir():
        raise Invalid(
            f"The folder {output.parent} does not exist; create it or choose another path."
        )
    printout = print_labels(selection, template_name, OUTPUTS[suffix], ecc, dpi)
    if suffix == ".png" and len(printout.files) > 1:
        targets = [
            (output.with_name(f"{output.stem}-{name}"), data) for name, data in printout.files
        ]
    else:
        targets = [(output, printout.data)]
    try:
        for path, data in targets:
            path.write_bytes(data)
    except OSError as exc:
        raise Invalid(f"Cannot write {exc.filename}: {exc.strerror}.") from None
    return printout.job, [str(path) for path, _ in targets]
