"""A stand-in thermal printer for tests: a TCP 9100 listener, and an interpreter of the TSPL / ZPL
subset labels.thermal emits (BITMAP / ^GFA placed at x,y; QRCODE / ^BQ re-encoded with the qrcode
library at the stated cell size), rendering a job back into page images to decode."""

from __future__ import annotations

import re
import socket
import threading

import qrcode
from PIL import Image

ECC = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


class Printer:
    """Accepts connections on a free local port and keeps every job it received (bytes)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self.received = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                chunks = []
                while data := conn.recv(65536):
                    chunks.append(data)
            self.jobs.append(b"".join(chunks))
            self.received.set()

    def wait(self, timeout: float = 10) -> bytes:
        assert self.received.wait(timeout), "the printer received no job"
        return self.jobs[-1]

    def close(self):
        self.server.close()


def silent_port() -> tuple[socket.socket, list[socket.socket]]:
    """A port whose listener never accepts and whose backlog is full: a connect there hangs, as to
    a printer that is switched off behind a switch. Returns the listener and the held connections."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    held = []
    for _ in range(64):
        client = socket.socket()
        client.settimeout(0.2)
        try:
            client.connect(server.getsockname())
        except (TimeoutError, BlockingIOError, OSError):
            client.close()
            return server, held
        held.append(client)
    raise AssertionError("could not fill the listen backlog")


def _unpack(data: bytes, row_bytes: int, height: int, ones_print: bool) -> Image.Image:
    """A bitmap command's data as an L image (0 = printed)."""
    bits = Image.frombytes("1", (row_bytes * 8, height), data)  # 1 bit = white in Pillow
    image = bits.convert("L")
    return image.point(lambda v: 255 - v) if ones_print else image


def _qr(data: str, ecc: str, cell: int) -> Image.Image:
    code = qrcode.QRCode(error_correction=ECC[ecc], box_size=cell, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image().get_image().convert("L")


def _paste_dark(page: Image.Image, image: Image.Image, x: int, y: int) -> None:
    """Printing only adds dots: paste with the image's dark pixels as the mask."""
    mask = image.point(lambda v: 255 if v < 128 else 0).convert("1")
    page.paste(0, (x, y, x + image.width, y + image.height), mask)


def tspl_pages(job: bytes, dpi: int) -> list[Image.Image]:
    """Render a TSPL job: SIZE, CLS, BITMAP, QRCODE, PRINT (other setup commands are checked for form)."""
    pages, page, size, pos = [], None, None, 0
    while pos < len(job):
        if job.startswith(b"BITMAP ", pos):
            head_end = pos
            for _ in range(5):
                head_end = job.index(b",", head_end) + 1
            x, y, row_bytes, height, mode = map(int, job[pos + 7 : head_end - 1].split(b","))
            assert mode == 0
            data = job[head_end : head_end + row_bytes * height]
            assert job[head_end + len(data) : head_end + len(data) + 2] == b"\r\n"
            _paste_dark(page, _unpack(data, row_bytes, height, ones_print=False), x, y)
            pos = head_end + len(data) + 2
            continue
        end = job.index(b"\r\n", pos)
        line = job[pos:end].decode("ascii")
        pos = end + 2
        command, _, args = line.partition(" ")
        if command == "SIZE":
            w, h = (float(v.strip().removesuffix(" mm")) for v in args.split(","))
            size = (round(w * dpi / 25.4), round(h * dpi / 25.4))
        elif command == "CLS":
            page = Image.new("L", size, 255)
        elif command == "QRCODE":
            m = re.fullmatch(r'(\d+),(\d+),([LMQH]),(\d+),A,0,M2,"([^"]*)"', args)
            assert m, line
            x, y, ecc, cell, data = m.groups()
            _paste_dark(page, _qr(data, ecc, int(cell)), int(x), int(y))
        elif command == "PRINT":
            pages.append(page)
        else:
            assert command in ("GAP", "DIRECTION", "REFERENCE", "OFFSET", "SET"), line
    return pages


def zpl_pages(job: bytes) -> list[Image.Image]:
    """Render a ZPL job: ^XA, ^PW, ^LL, ^FO, ^GFA, ^BQN + ^FD, ^XZ."""
    pages, page, width, length, origin, qr_cell = [], None, 0, 0, (0, 0), None
    for command in job.decode("ascii").replace("\r\n", "").split("^")[1:]:
        code, args = command[:2], command[2:]
        if code == "XA":
            page = None
        elif code == "PW":
            width = int(args)
        elif code == "LL":
            length = int(args)
            page = Image.new("L", (width, length), 255)
        elif code == "FO":
            origin = tuple(map(int, args.split(",")))
        elif code == "GF":
            kind, total, _, row_bytes, data = args.split(",")
            assert kind == "A" and int(total) * 2 == len(data)
            image = _unpack(bytes.fromhex(data), int(row_bytes), int(total) // int(row_bytes), True)
            _paste_dark(page, image, *origin)
        elif code == "BQ":
            orientation, model, cell = args.split(",")
            assert (orientation, model) == ("N", "2")
            qr_cell = int(cell)
        elif code == "FD" and qr_cell:
            ecc, data = args[0], args[3:]
            assert args[1:3] == "A,"
            _paste_dark(page, _qr(data, ecc, qr_cell), *origin)
            qr_cell = None
        elif code == "XZ":
            pages.append(page)
        else:
            assert code in ("FS", "MN", "LH", "PO", "PQ"), command
    return pages
