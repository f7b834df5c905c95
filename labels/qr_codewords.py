"""Version and codewords of a QR code, as `qrcode` computes them, without its per-bit buffer.

`qrcode.util.create_data` writes the bit stream one bit per call and divides polynomials in
pure Python (70 % of a label's encoding time). Here the same segments (qrcode's own
`optimal_data_chunks`) become one bit string, and Reed-Solomon runs on integers with a table
per generator polynomial. The result is the same list of codewords (tests compare them).
"""

from bisect import bisect_left
from functools import cache

from qrcode import base, exceptions, util

_ALPHA = {c: i for i, c in enumerate(util.ALPHA_NUM)}
_BYTE_BITS = tuple(format(b, "08b") for b in range(256))
_PADS = (util.PAD0, util.PAD1)


def segments(data: str) -> tuple:
    """qrcode's segmentation of data (QRCode.add_data with its default optimize=20)."""
    return tuple(util.optimal_data_chunks(data, minimum=20))


def _bits(value: int, length: int) -> str:
    return format(value & ((1 << length) - 1), f"0{length}b")


def payload(segment) -> str:
    """The data bits of one segment, as QRData.write puts them."""
    data, mode = segment.data, segment.mode
    if mode == util.MODE_8BIT_BYTE:
        return "".join(map(_BYTE_BITS.__getitem__, data))
    if mode == util.MODE_ALPHA_NUM:
        pairs = [
            _bits(_ALPHA[data[i]] * 45 + _ALPHA[data[i + 1]], 11)
            for i in range(0, len(data) - 1, 2)
        ]
        if len(data) % 2:
            pairs.append(_bits(_ALPHA[data[-1]], 6))
        return "".join(pairs)
    if mode == util.MODE_NUMBER:
        return "".join(
            _bits(int(data[i : i + 3]), util.NUMBER_LENGTH[len(data[i : i + 3])])
            for i in range(0, len(data), 3)
        )
    buffer = util.BitBuffer()  # any other mode: qrcode's own writer
    segment.write(buffer)
    return "".join(_bits(b, 8) for b in buffer.buffer)[: len(buffer)]


def _stream(parts, version: int) -> str:
    return "".join(
        _bits(segment.mode, 4)
        + _bits(len(segment), util.length_in_bits(segment.mode, version))
        + bits
        for segment, bits in parts
    )


def best_version(parts, level: int) -> int:
    """The smallest version that holds the segments, found as QRCode.best_fit finds it."""
    start = 1
    while True:
        needed = len(_stream(parts, start))
        version = bisect_left(util.BIT_LIMIT_TABLE[level], needed, start)
        if version == 41:
            raise exceptions.DataOverflowError()
        if util.mode_sizes_for_version(version) is util.mode_sizes_for_version(start):
            return version
        start = version


def codewords(parts, version: int, level: int) -> list[int]:
    """Data and error-correction codewords, interleaved, as util.create_data returns them."""
    blocks = base.rs_blocks(version, level)
    limit = sum(block.data_count * 8 for block in blocks)
    stream = _stream(parts, version)
    if len(stream) > limit:
        raise exceptions.DataOverflowError(f"Code length overflow ({len(stream)} > {limit})")
    stream += "0" * min(limit - len(stream), 4)  # terminator
    stream += "0" * (-len(stream) % 8)
    data = list(int(stream, 2).to_bytes(len(stream) // 8, "big"))
    data += [_PADS[i % 2] for i in range((limit - len(stream)) // 8)]
    dc, ec, offset = [], [], 0
    for block in blocks:
        chunk = data[offset : offset + block.data_count]
        offset += block.data_count
        dc.append(chunk)
        ec.append(_remainder(chunk, block.total_count - block.data_count))
    out = [c[i] for i in range(max(map(len, dc))) for c in dc if i < len(c)]
    out += [c[i] for i in range(max(map(len, ec))) for c in ec if i < len(c)]
    return out


def _remainder(chunk: list[int], count: int) -> list[int]:
    """chunk * x^count mod the generator of degree count: the block's error-correction bytes."""
    table = _feedback(count)
    top = 8 * (count - 1)
    mask = (1 << 8 * count) - 1
    rem = 0
    for byte in chunk:
        rem = ((rem << 8) & mask) ^ table[byte ^ (rem >> top)]
    return list(rem.to_bytes(count, "big"))


@cache
def _feedback(count: int) -> tuple[int, ...]:
    """For each feedback byte f, f times the generator's lower terms, packed big-endian."""
    generator = util.LUT.rsPoly_LUT.get(count)
    if generator is None:
        poly = base.Polynomial([1], 0)
        for i in range(count):
            poly = poly * base.Polynomial([1, base.gexp(i)], 0)
        generator = [poly[i] for i in range(len(poly))]
    lower = generator[1:]
    table = [0]
    for f in range(1, 256):
        log_f = base.glog(f)
        packed = 0
        for g in lower:
            packed = packed << 8 | (base.gexp(base.glog(g) + log_f) if g else 0)
        table.append(packed)
    return tuple(table)
