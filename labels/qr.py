"""QR matrices from `qrcode`, with a fast, equivalent mask choice for printing thousands of labels.

`qrcode` computes the version, the data and error-correction codewords and, through probes of its own
`makeImpl`, where every data bit sits and what each mask looks like. Only the choice of mask (the ISO 18004
penalty over 8 candidates, 90 % of `qrcode.make()`'s time) is redone here on rows packed into Python ints,
scoring exactly as `qrcode.util.lost_point` does, so the result is the same matrix `qrcode` makes.
"""

import operator
import re
from dataclasses import dataclass
from functools import cache, cached_property

import qrcode
from qrcode import base, constants, exceptions

from labels import qr_codewords
from labels.errors import LabelError

ECC_LEVELS = {
    "L": constants.ERROR_CORRECT_L,
    "M": constants.ERROR_CORRECT_M,
    "Q": constants.ERROR_CORRECT_Q,
    "H": constants.ERROR_CORRECT_H,
}
QUIET_ZONE = 4  # modules of light margin the standard asks for on every side
_DARK_RUN = re.compile("1+")
_BYTE_BITS = tuple(format(b, "08b") for b in range(256))


@dataclass(frozen=True)
class QrCode:
    """A QR symbol without quiet zone: row r is an int whose bit (size-1-c) is module (r, c), 1 = dark."""

    version: int
    size: int
    rows: tuple[int, ...]

    def is_dark(self, row: int, col: int) -> bool:
        return bool(self.rows[row] >> (self.size - 1 - col) & 1)

    def matrix(self) -> list[list[bool]]:
        return [[self.is_dark(r, c) for c in range(self.size)] for r in range(self.size)]

    def row_runs(self):
        """Yield (row, first column, length) for each horizontal run of dark modules."""
        width = self.size
        for r, bits in enumerate(self.rows):
            for m in _DARK_RUN.finditer(format(bits, f"0{width}b")):
                yield r, m.start(), m.end() - m.start()


def ecc_level(ecc: str) -> int:
    try:
        return ECC_LEVELS[str(ecc).upper()]
    except KeyError:
        raise LabelError(
            f"error correction {ecc!r} is unknown: use M (default) or Q (L and H also work)"
        ) from None


def encode(data: str, ecc: str = "M") -> QrCode:
    """The QR code for data in the smallest version that holds it, mask chosen as qrcode would."""
    level = ecc_level(ecc)
    if not data:
        raise LabelError("QR data is empty: give each label a URL")
    try:
        parts = [
            (segment, qr_codewords.payload(segment)) for segment in qr_codewords.segments(data)
        ]
        version = qr_codewords.best_version(parts, level)
        codewords = qr_codewords.codewords(parts, version, level)
    except (exceptions.DataOverflowError, ValueError):  # qrcode raises either when nothing fits
        raise LabelError(
            f"QR data is too long ({len(data)} characters): shorten LABEL_URL_BASE"
        ) from None
    layout = _layout(version, level)
    bits = "".join(map(_BYTE_BITS.__getitem__, codewords)) + "0"
    row_data = int("".join(layout.row_pick(bits)), 2)
    col_data = int("".join(layout.col_pick(bits)), 2)
    best = min(
        range(8),
        key=lambda k: (
            _penalty(row_data ^ layout.scored_rows[k], col_data ^ layout.scored_cols[k], layout),
            k,
        ),
    )
    return QrCode(version, layout.size, _unpack(row_data ^ layout.rows[best], layout.size))


@dataclass(frozen=True)
class _Layout:
    """Per version and level: the empty symbol for each mask, and where each data bit goes, packed."""

    size: int
    rows: tuple[int, ...]  # packed rows of the all-zero-data symbol, one per mask
    scored_rows: tuple[int, ...]  # the same with blank format bits: qrcode scores masks that way
    scored_cols: tuple[int, ...]  # the same, transposed
    row_source: tuple[
        int, ...
    ]  # for each packed row bit (MSB first): index of its data bit, or the "0" pad
    col_source: tuple[int, ...]
    full: int  # every non-guard bit set

    @cached_property
    def row_pick(self):
        """bits -> the characters of row_source, in one C call."""
        return operator.itemgetter(*self.row_source)

    @cached_property
    def col_pick(self):
        return operator.itemgetter(*self.col_source)


def _probe(
    version: int, level: int, codewords: list[int], mask: int, test: bool = False
) -> list[list[bool]]:
    qr = qrcode.QRCode(version=version, error_correction=level, border=0)
    qr.data_cache = codewords
    qr.makeImpl(test, mask)
    return qr.modules


def _pack(matrix, transpose: bool = False) -> int:
    lines = zip(*matrix) if transpose else matrix
    return int(
        "".join("0" + "".join("1" if m else "0" for m in line) for line in reversed(list(lines))), 2
    )


def _unpack(packed: int, size: int) -> tuple[int, ...]:
    width = size + 1
    return tuple((packed >> (r * width)) & ((1 << size) - 1) for r in range(size))


@cache
def _layout(version: int, level: int) -> _Layout:
    total = sum(block.total_count for block in base.rs_blocks(version, level))
    nbits = total * 8
    empty = [_probe(version, level, [0] * total, mask) for mask in range(8)]
    scored = [_probe(version, level, [0] * total, mask, test=True) for mask in range(8)]
    size = len(empty[0])
    index = [[-1] * size for _ in range(size)]  # data bit index per module, -1 = not data
    full_probe = _probe(version, level, [0xFF] * total, 0)
    for r in range(size):
        for c in range(size):
            if full_probe[r][c] != empty[0][r][c]:
                index[r][c] = 0
    for j in range(nbits.bit_length()):
        probe_bytes = [
            sum(((b * 8 + p) >> j & 1) << (7 - p) for p in range(8)) for b in range(total)
        ]
        probe = _probe(version, level, probe_bytes, 0)
        for r in range(size):
            for c in range(size):
                if probe[r][c] != empty[0][r][c]:
                    index[r][c] |= 1 << j

    def source(transpose: bool) -> tuple[int, ...]:
        out = []
        for line in reversed(range(size)):
            out.append(nbits)  # guard bit reads the "0" pad
            for pos in range(size):
                r, c = (pos, line) if transpose else (line, pos)
                out.append(index[r][c] if index[r][c] >= 0 else nbits)
        return tuple(out)

    width = size + 1
    full = sum(((1 << size) - 1) << (r * width) for r in range(size))
    return _Layout(
        size=size,
        rows=tuple(_pack(m) for m in empty),
        scored_rows=tuple(_pack(m) for m in scored),
        scored_cols=tuple(_pack(m, transpose=True) for m in scored),
        row_source=source(False),
        col_source=source(True),
        full=full,
    )


def _penalty(rows: int, cols: int, layout: _Layout) -> int:
    """ISO 18004 mask penalty, computed as qrcode.util.lost_point does."""
    size = layout.size
    width = size + 1
    score = 0
    for packed in (rows, cols):
        dark = packed
        light = ~packed & layout.full
        dark2, light2 = dark & dark >> 1, light & light >> 1
        dark4, light4 = dark2 & dark2 >> 2, light2 & light2 >> 2  # 4 in a row from each bit
        for runs in (dark4 & dark >> 4, light4 & light >> 4):  # starts of 5 in a row
            score += runs.bit_count() + 2 * (runs & ~(runs << 1)).bit_count()
        # 1:1:3:1:1 dark/light/dark/light/dark (a palindrome) with 4 light after it, or before it
        core = dark & light >> 1 & dark2 >> 2 & dark >> 4 & light >> 5 & dark >> 6
        forward, backward = core & light4 >> 7, light4 & core >> 4
        score += 40 * (forward.bit_count() + backward.bit_count())
    dark = rows
    light = ~rows & layout.full
    for bits in (dark, light):
        pairs = bits & bits >> width
        score += 3 * (pairs & pairs >> 1).bit_count()
    percent = float(rows.bit_count()) / (size**2)
    score += int(abs(percent * 100 - 50) / 5) * 10
    return score
