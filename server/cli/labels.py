"""`xunjian labels`: list templates and printers, print a batch to PDF, PNG, TSPL or ZPL (a file) or
to a thermal printer, retry a job a printer did not take, the calibration page (the label register)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from server.cli.run import run
from server.errors import Invalid

OUTPUTS = {".pdf": "pdf", ".png": "png", ".zip": "png", ".tspl": "tspl", ".zpl": "zpl"}
LANGUAGE = click.Choice(["tspl", "zpl"])
PRINTER_HELP = (
    "A configured printer (`xunjian labels printers`), or HOST[:PORT] / cups:QUEUE with --format."
)


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
@click.option(
    "--dpi", type=click.Choice(["203", "300"]), help="PNG / thermal resolution (default 203)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.pdf; FILE.png (several labels: FILE-0001-TAG.png ...); FILE.zip (PNGs); "
    "FILE.tspl / FILE.zpl (a thermal printer job).",
)
@click.option("--printer", help=PRINTER_HELP)
@click.option("--format", "language", type=LANGUAGE, help="The language of a --printer address.")
@click.option(
    "--timeout", type=float, help="Seconds to wait for the printer (LABEL_PRINTER_TIMEOUT)."
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
    output: Path | None,
    printer,
    language,
    timeout,
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
    dpi = int(dpi) if dpi else None
    if bool(output) == bool(printer):
        raise click.UsageError("Give either -o FILE or --printer PRINTER.")
    if printer:
        job = run(_print_to, selection, template_name, printer, language, ecc, dpi, timeout)
        click.echo(
            f"Sent {job.count} labels on {job.template} to {job.printer} "
            f"({job.output.upper()} {job.dpi} dpi, {job.kind}, job {job.id})."
        )
        return
    job, written = run(_print_and_write, selection, template_name, output, ecc, dpi)
    shown = written[0] if len(written) == 1 else f"{len(written)} files ({written[0]} and so on)"
    click.echo(
        f"Printed {job.count} labels on {job.template} ({job.kind}, job {job.id}) to {shown}."
    )


def _print_and_write(selection: dict, template_name: str, output: Path, ecc, dpi) -> tuple:
    """Render, record, then write the file(s) inside the transaction: a failed write records nothing."""
    from server.services.labelling.printing import print_labels

    suffix = output.suffix.lower()
    if suffix not in OUTPUTS:
        raise Invalid(
            f"Cannot tell the format of {output}: name it .pdf, .png, .zip, .tspl or .zpl."
        )
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


def _print_to(selection, template_name, spec, language, ecc, dpi, seconds):
    from server.services.labelling import printers, sending

    printer = printers.resolve(spec, language, dpi)
    return sending.print_to(
        selection, template_name, printer, None, ecc, printer.dpi, seconds=seconds
    ).job


@labels_group.command("printers")
@with_appcontext
def printers_command() -> None:
    """List the configured thermal printers (LABEL_PRINTERS)."""
    from server.services.labelling import printers

    found = run(printers.configured)
    for p in sorted(found.values(), key=lambda p: p.name):
        click.echo(f"{p.name:<16} {p.language.upper()} {p.dpi} dpi  {p.address}  {p.description}")
    if not found:
        click.echo("No printer is configured: set LABEL_PRINTERS (docs/labels.md).")


@labels_group.command("retry")
@click.argument("job_id", type=int)
@click.option("--printer", help=PRINTER_HELP + " Default: the job's own.")
@click.option("--format", "language", type=LANGUAGE, help="The language of a --printer address.")
@click.option("--dpi", type=click.Choice(["203", "300"]), help="The dpi of a --printer address.")
@click.option("--timeout", type=float, help="Seconds to wait for the printer.")
@with_appcontext
def retry_command(job_id, printer, language, dpi, timeout) -> None:
    """Send a print job a printer did not take again; a failure keeps it failed (exit 2)."""
    job = run(_retry, job_id, printer, language, int(dpi) if dpi else None, timeout)
    click.echo(f"Job {job.id} sent to {job.printer} (attempt {job.attempts}).")


def _retry(job_id, spec, language, dpi, seconds):
    from server.services.labelling import printers, sending

    printer = printers.resolve(spec, language, dpi) if spec else None
    return sending.retry(job_id, printer, seconds)


@labels_group.command("calibration")
@click.option("--template", "template_name", required=True, help="Template name.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.pdf, FILE.tspl or FILE.zpl.",
)
@click.option("--printer", help=PRINTER_HELP)
@click.option("--format", "language", type=LANGUAGE, help="The language of a --printer address.")
@click.option("--dpi", type=click.Choice(["203", "300"]), help="Thermal resolution.")
@with_appcontext
def calibration_command(template_name, output, printer, language, dpi) -> None:
    """The template's calibration page (stored offsets): to a file, or printed on a printer."""
    if bool(output) == bool(printer):
        raise click.UsageError("Give either -o FILE or --printer PRINTER.")
    sent = run(_calibration, template_name, output, printer, language, int(dpi) if dpi else None)
    click.echo(f"Calibration page for {template_name} {sent}.")


def _calibration(template_name, output, spec, language, dpi) -> str:
    from server.services.labelling import printers, printing, sending

    if spec:
        sent = sending.calibrate(template_name, printers.resolve(spec, language, dpi))
        return f"sent to {sent['printer']}"
    suffix = output.suffix.lower()
    if suffix == ".pdf":
        data = printing.calibration(template_name)
    elif suffix in (".tspl", ".zpl"):
        data = printing.calibration_thermal(template_name, suffix[1:], dpi)
    else:
        raise Invalid(f"Name the file .pdf, .tspl or .zpl, not {output.name}.")
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise Invalid(f"Cannot write {exc.filename}: {exc.strerror}.") from None
    return f"written to {output}"
