"""QR matrices: identical to qrcode's own, smallest version, alphanumeric URLs."""

import random

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st

from labels import LabelError, encode_qr, qr_url
from labels.qr import ECC_LEVELS

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BASES = [
    "https://xj.ybj.guizhou.gov.cn",
    "HTTP://10.0.0.5:8080",
    "https://example.cn/xunjian",
    "https://a-rather-long-host-name.example.com/with/a/deeper/path",
]


def reference(data: str, ecc: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ECC_LEVELS[ecc], border=0)
    code.add_data(data)
    code.make(fit=True)
    return code


@settings(max_examples=150, deadline=None)
@given(
    tag=st.text(CROCKFORD, min_size=8, max_size=9),
    base=st.sampled_from(BASES),
    ecc=st.sampled_from("LMQH"),
)
def test_matrix_is_the_one_qrcode_makes(tag, base, ecc):
    url = qr_url(base, tag)
    expected = reference(url, ecc)
    code = encode_qr(url, ecc)
    assert code.version == expected.version
    assert code.matrix() == expected.get_matrix()


def test_large_versions_match_qrcode_too():
    rng = random.Random(7)
    for length in (120, 300):  # versions 7+ carry version information blocks
        data = "https://example.cn/" + "".join(rng.choice("abcdefghij") for _ in range(length))
        assert encode_qr(data, "M").matrix() == reference(data, "M").get_matrix()


def test_url_without_path_is_uppercased_for_alphanumeric_mode():
    assert qr_url("https://xj.example.cn/", "GZ3K7M2Q") == "HTTPS://XJ.EXAMPLE.CN/D/GZ3K7M2Q"


def test_url_with_path_keeps_its_case():
    assert (
        qr_url("https://example.cn/XunJian", "GZ3K7M2Q") == "https://example.cn/XunJian/d/GZ3K7M2Q"
    )


@pytest.mark.parametrize(
    "base", ["https://xj.example.cn", "https://xj.ybj.guizhou.gov.cn", "http://10.20.30.40:8080"]
)
def test_alphanumeric_url_needs_no_bigger_code(base):
    upper = encode_qr(qr_url(base, "GZ3K7M2Q")).version
    lower = encode_qr(f"{base}/d/GZ3K7M2Q").version
    assert upper <= lower


def test_alphanumeric_url_is_a_smaller_version_than_the_lowercase_one():
    upper = encode_qr(qr_url("https://xj.example.cn", "GZ3K7M2Q")).version
    lower = encode_qr("https://xj.example.cn/d/GZ3K7M2Q").version
    assert upper < lower


def test_q_level_is_at_least_as_big_as_m():
    url = qr_url("https://xj.ybj.guizhou.gov.cn", "GZ3K7M2Q")
    assert encode_qr(url, "Q").version >= encode_qr(url, "M").version


@pytest.mark.parametrize(
    "base", ["", "xj.example.cn", "ftp://xj.example.cn", "https://xj.example.cn/?a=1"]
)
def test_bad_url_base_is_refused(base):
    with pytest.raises(LabelError, match="LABEL_URL_BASE"):
        qr_url(base, "GZ3K7M2Q")


@pytest.mark.parametrize("tag", ["", "GZ 3K", "a/b", None])
def test_bad_tag_is_refused(tag):
    with pytest.raises(LabelError, match="tag"):
        qr_url("https://xj.example.cn", tag)


def test_unknown_ecc_and_overlong_data_are_label_errors():
    with pytest.raises(LabelError, match="error correction"):
        encode_qr("HTTPS://X.CN/D/A", "X")
    with pytest.raises(LabelError, match="too long"):
        encode_qr("x" * 5000, "M")
