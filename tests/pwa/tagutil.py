"""Python copy of the asset-tag check (pwa/static/js/tags.js) to build valid fixture tags; test helper only."""
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
POLY = 0b100101


def gf_mul(a: int, b: int) -> int:
    """Carry-less multiply modulo x^5+x^2+1."""
    result = 0
    while b:
        if b & 1:
            result ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= POLY
    return result


def make_tag(payload5: str) -> str:
    """GZ + payload + check character."""
    first7 = "GZ" + payload5
    interim = 0
    for ch in first7:
        interim = gf_mul(2, interim) ^ ALPHABET.index(ch)
    return first7 + ALPHABET[gf_mul(2, interim)]
