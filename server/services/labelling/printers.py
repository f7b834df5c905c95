"""Thermal label printers: the configured ones (LABEL_PRINTERS), and sending a job to one over raw
TCP (port 9100) or to a CUPS raw queue (`lp -d QUEUE -o raw`)."""

from __future__ import annotations

import json
import socket
import subprocess
from dataclasses import dataclass

from flask import current_app

import labels
from server.errors import Invalid, PrinterUnreachable

_FIELDS = {"name", "language", "dpi", "host", "port", "queue", "description"}


@dataclass(frozen=True)
class Printer:
    """One printer: its language and dpi, and where jobs go (host:port, or a CUPS queue)."""

    name: str
    language: str
    dpi: int
    host: str | None = None
    port: int = 9100
    queue: str | None = None
    description: str = ""

    @property
    def address(self) -> str:
        return f"cups:{self.queue}" if self.queue else f"{self.host}:{self.port}"


def _bad(message: str) -> Invalid:
    return Invalid(f"LABEL_PRINTERS: {message}. See docs/labels.md, 'Thermal printers'.")


def parse_printer(record) -> Printer:
    """A Printer from one LABEL_PRINTERS record, every field checked."""
    if (
        not isinstance(record, dict)
        or not isinstance(record.get("name"), str)
        or not record["name"]
    ):
        raise _bad(f"{record!r} is not a record with a name")
    name = record["name"]
    unknown = sorted(set(record) - _FIELDS)
    if unknown:
        raise _bad(f"printer {name!r} has unknown field(s) {', '.join(unknown)}")
    if record.get("language") not in labels.LANGUAGES:
        raise _bad(f"printer {name!r}: language must be tspl or zpl")
    if record.get("dpi", 203) not in labels.THERMAL_DPIS:
        raise _bad(f"printer {name!r}: dpi must be 203 or 300")
    if bool(record.get("host")) == bool(record.get("queue")):
        raise _bad(f"printer {name!r}: give either host (raw TCP) or queue (CUPS)")
    port = record.get("port", 9100)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise _bad(f"printer {name!r}: port {port!r} is not a TCP port")
    return Printer(
        name=name,
        language=record["language"],
        dpi=record.get("dpi", 203),
        host=record.get("host"),
        port=port,
        queue=record.get("queue"),
        description=str(record.get("description", "")),
    )


def configured() -> dict[str, Printer]:
    """The printers named in LABEL_PRINTERS (a JSON list), by name."""
    raw = current_app.config.get("LABEL_PRINTERS") or "[]"
    try:
        records = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError as exc:
        raise _bad(f"invalid JSON at character {exc.pos}: {exc.msg}") from None
    if not isinstance(records, list):
        raise _bad("expected a JSON list of printers")
    printers = [parse_printer(record) for record in records]
    return {p.name: p for p in printers}


def get(name: str, field_name: str = "printer") -> Printer:
    printers = configured()
    if name not in printers:
        known = ", ".join(sorted(printers)) or "none is configured (LABEL_PRINTERS)"
        message = f"Unknown label printer '{name}'; choose one of: {known}."
        raise Invalid(message, errors={"json": {field_name: [message]}})
    return printers[name]


def resolve(spec: str, language: str | None = None, dpi: int | None = None) -> Printer:
    """A configured printer by name, or (the CLI only: the API never connects where a user says)
    an address given on the spot, HOST[:PORT] or cups:QUEUE, with its language and dpi."""
    printers = configured()
    if spec in printers:
        return printers[spec]
    if not language:
        raise Invalid(
            f"'{spec}' is not a configured printer ({', '.join(sorted(printers)) or 'none'}); "
            "for an address, also give the language (--format tspl|zpl)."
        )
    if spec.startswith("cups:"):
        record = {"queue": spec[5:]}
    else:
        host, _, port = spec.rpartition(":") if ":" in spec else (spec, "", "9100")
        if not port.isdigit():
            raise Invalid(f"'{spec}' is not HOST:PORT (e.g. 192.168.1.50:9100) nor cups:QUEUE.")
        record = {"host": host, "port": int(port)}
    return parse_printer({"name": spec, "language": language, "dpi": dpi or 203, **record})


def timeout() -> float:
    return float(current_app.config.get("LABEL_PRINTER_TIMEOUT") or 10)


def send(printer: Printer, job: bytes, seconds: float, title: str = "xunjian labels") -> None:
    """Hand the job to the printer; anything but a clean hand-over raises PrinterUnreachable."""
    if printer.queue:
        _send_cups(printer, job, seconds, title)
    else:
        _send_tcp(printer, job, seconds)


def _send_tcp(printer: Printer, job: bytes, seconds: float) -> None:
    """Raw TCP (JetDirect, port 9100): connect, write everything, close; the timeout bounds each step."""
    try:
        with socket.create_connection((printer.host, printer.port), timeout=seconds) as conn:
            conn.sendall(job)
            conn.shutdown(socket.SHUT_WR)
    except TimeoutError:
        raise PrinterUnreachable(
            f"Printer '{printer.name}' ({printer.address}) did not answer within {seconds:g} s; "
            "check that it is on, online and on the network, then retry the job."
        ) from None
    except OSError as exc:
        raise PrinterUnreachable(
            f"Printer '{printer.name}' ({printer.address}) could not be reached: "
            f"{exc.strerror or exc}; check its address and that it is on, then retry the job."
        ) from None


def _send_cups(printer: Printer, job: bytes, seconds: float, title: str) -> None:
    command = ["lp", "-d", printer.queue, "-o", "raw", "-t", title]
    try:
        done = subprocess.run(command, input=job, capture_output=True, timeout=seconds, check=False)
    except FileNotFoundError:
        raise PrinterUnreachable(
            f"Printer '{printer.name}': the CUPS client `lp` is not installed on the server "
            "(Debian: cups-client)."
        ) from None
    except subprocess.TimeoutExpired:
        raise PrinterUnreachable(
            f"Printer '{printer.name}': CUPS did not take the job within {seconds:g} s; retry the job."
        ) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()[:200]
        raise PrinterUnreachable(
            f"Printer '{printer.name}': CUPS refused the job for queue {printer.queue}: {said}"
        )
