"""What one label carries, and the URL its QR code encodes."""

from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from labels.errors import LabelError


@dataclass(frozen=True)
class LabelData:
    """Plain text for one device label; url is what the QR code encodes (see qr_url)."""

    tag: str
    url: str
    type_name: str = ""  # device type in Chinese, e.g. 4K高清摄像机
    model: str = ""
    site_name: str = ""  # at print time; small
    room_name: str = ""
    owner_line: str = ""  # e.g. 贵州省医疗保障局
    support_line: str = ""  # e.g. 运维热线 0851-12345678


def qr_url(base: str, tag: str) -> str:
    """The URL for a device page: {base}/d/{tag}, all uppercase when base has no path.

    Scheme and host are case-insensitive, so "https://xj.example.cn" + tag becomes
    "HTTPS://XJ.EXAMPLE.CN/D/GZ3K7M2Q", which QR's alphanumeric mode stores in 5.5 bits a character
    instead of 8 and so often fits a smaller QR version. The server must then answer /D/ as well as /d/.
    A base with a path (e.g. "https://example.cn/xunjian") keeps its case, since paths are case-sensitive.
    """
    if not isinstance(base, str) or not base.strip():
        raise LabelError(
            "LABEL_URL_BASE is empty: set it to the server's address, e.g. https://xj.example.cn"
        )
    base = base.strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise LabelError(
            f"LABEL_URL_BASE {base!r} is not an http(s) address: write it like https://xj.example.cn"
        )
    if parts.query or parts.fragment:
        raise LabelError(
            f"LABEL_URL_BASE {base!r} has a query or fragment: give just scheme, host and path"
        )
    check_tag(tag)
    if parts.path:
        return f"{base}/d/{tag}"
    return f"{base}/D/{tag}".upper()


def check_tag(tag) -> None:
    if not isinstance(tag, str) or not tag or any(ch.isspace() or ch in "/?#" for ch in tag):
        raise LabelError(f"tag {tag!r} cannot be printed: a tag is a short code such as GZ3K7M2Q")


def check_label(label, position: int) -> None:
    """Reject a label that cannot be printed, naming its position in the selection."""
    where = f"label {position + 1}"
    if not isinstance(label, LabelData):
        raise LabelError(f"{where} is a {type(label).__name__}, expected labels.LabelData")
    check_tag(label.tag)
    where += f" (tag {label.tag})"
    for field in fields(LabelData):
        value = getattr(label, field.name)
        if not isinstance(value, str):
            raise LabelError(f"{where}: {field.name} is {value!r}, expected text")
    if not label.url:
        raise LabelError(f"{where}: url is empty; build it with labels.qr_url(LABEL_URL_BASE, tag)")
