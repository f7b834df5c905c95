"""The fast codewords (labels/qr_codewords.py) equal qrcode's own, for every mode and level."""

import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from qrcode import util

from labels import qr_codewords
from labels.qr import ECC_LEVELS

# Digits, the alphanumeric set, lower case and CJK: every segment mode and mixes of them.
TEXT = st.text(
    st.sampled_from("0123456789ABCDEFGHJKXYZ $%*+-./:abcxyz贵州?#&="), min_size=1, max_size=160
)


def expected(data: str, level: int) -> tuple[int, list[int]]:
    code = qrcode.QRCode(error_correction=level, border=0)
    code.add_data(data)
    version = code.best_fit()
    return version, util.create_data(version, level, code.data_list)


def fast(data: str, level: int) -> tuple[int, list[int]]:
    parts = [(s, qr_codewords.payload(s)) for s in qr_codewords.segments(data)]
    version = qr_codewords.best_version(parts, level)
    return version, qr_codewords.codewords(parts, version, level)


@settings(max_examples=300, deadline=None)
@given(data=TEXT, ecc=st.sampled_from("LMQH"))
def test_version_and_codewords_are_qrcodes(data, ecc):
    assert fast(data, ECC_LEVELS[ecc]) == expected(data, ECC_LEVELS[ecc])


def test_long_data_crossing_the_mode_size_steps():
    for data in ("1234567890" * 40, "HTTPS://XJ.EXAMPLE.CN/" * 20, "xunjian-" * 90):
        for level in ECC_LEVELS.values():
            assert fast(data, level) == expected(data, level)
