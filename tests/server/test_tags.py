"""Asset tags: format, normalisation and the check character's guarantees."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server import tags

numbers = st.integers(min_value=0, max_value=32**tags.PAYLOAD_LEN - 1)


@given(numbers)
def test_issued_tags_validate(n):
    tag = tags.make_tag(n)
    assert len(tag) == tags.TAG_LEN and tag.startswith("GZ")
    assert tags.validate(tag) == tag


@given(numbers, st.data())
def test_any_single_wrong_character_is_caught(n, data):
    tag = tags.make_tag(n)
    pos = data.draw(st.integers(0, len(tag) - 1))
    wrong = data.draw(st.sampled_from([c for c in tags.ALPHABET if c != tag[pos]]))
    assert not tags.is_valid(tag[:pos] + wrong + tag[pos + 1 :])


@given(numbers, st.data())
def test_any_neighbour_swap_is_caught(n, data):
    tag = tags.make_tag(n)
    pos = data.draw(st.integers(0, len(tag) - 2))
    swapped = tag[:pos] + tag[pos + 1] + tag[pos] + tag[pos + 2 :]
    assert swapped == tag or not tags.is_valid(swapped)


def test_exhaustive_single_errors_on_a_sample():
    for n in range(0, 32**tags.PAYLOAD_LEN, 32**tags.PAYLOAD_LEN // 97):
        tag = tags.make_tag(n)
        for pos in range(len(tag)):
            for c in tags.ALPHABET:
                if c != tag[pos]:
                    assert not tags.is_valid(tag[:pos] + c + tag[pos + 1 :])


def test_tags_are_distinct_and_scrambled():
    issued = [tags.make_tag(n) for n in range(5000)]
    assert len(set(issued)) == 5000
    assert issued[0][2:6] != issued[1][2:6]


def test_hand_typing_is_forgiven():
    tag = tags.make_tag(42)
    typed = f" {tag[:4].lower()}-{tag[4:]} ".replace("0", "o").replace("1", "l")
    assert tags.validate(typed) == tag


@pytest.mark.parametrize(
    "raw,reason",
    [
        ("GZ12", "8 characters"),
        ("GZ12345U", "never has"),
        ("AB3K7M2Q", "start with GZ"),
    ],
)
def test_bad_tags_say_why(raw, reason):
    with pytest.raises(tags.TagError, match=reason):
        tags.validate(raw)


@pytest.mark.parametrize(
    "text",
    [
        "https://xj.example.cn/d/{t}",
        "HTTPS://XJ.EXAMPLE.CN/D/{t}",
        "{t}",
        "http://10.0.0.2:5000/d/{t}/",
    ],
)
def test_scan_accepts_url_or_bare_tag(text):
    tag = tags.make_tag(7)
    assert tags.tag_from_scan(text.format(t=tag)) == tag


def test_scan_of_foreign_qr_is_refused():
    with pytest.raises(tags.TagError):
        tags.tag_from_scan("https://weixin.qq.com/r/abcdef")
