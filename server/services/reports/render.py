"""Templates to HTML (Jinja2) and HTML to PDF (WeasyPrint), with the bundled CJK font embedded.

The same template makes the browser preview and the PDF: the page links its stylesheet and
font under ASSET_PATH, which the API serves to browsers and which `_LocalFetcher` maps to the
files on disk for WeasyPrint, so a PDF never reads the network or a system font.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from server import periods
from server.services.reports import photos

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT = Path(__file__).resolve().parents[3] / "labels" / "fonts" / "wqy-microhei.ttf"
ASSET_PATH = "/api/v1/reports/assets/"
ASSETS = {  # what the stylesheet and pages may load: name -> (file, content type)
    "report.css": (TEMPLATES / "report.css", "text/css"),
    "wqy-microhei.ttf": (FONT, "font/ttf"),
}
_PDF_ORIGIN = "http://reports.invalid"  # never fetched: _LocalFetcher answers it from disk


def _cst(value: datetime | str | None, form: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as China time, the way the bureaus read it; '—' for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(periods.CST).strftime(form)


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    return f"{minutes // 60} 小时 {minutes % 60} 分" if minutes >= 60 else f"{minutes} 分钟"


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a misspelt name in a template fails loudly, in the tests too
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters.update(cst=_cst, minutes=_minutes, percent=_percent)


def _pdf_photo(sha: str) -> str:
    return f"{_PDF_ORIGIN}/photos/{sha}"


def render_html(template: str, context: dict, for_pdf: bool = False) -> str:
    """The report page: the template filled with the context and the asset path. Photos are
    data: URLs in the browser preview; for the PDF they are URLs `_LocalFetcher` answers, so
    WeasyPrint's HTML parser never reads megabytes of base64."""
    photo_src = _pdf_photo if for_pdf else photos.data_url
    return _env.get_template(template).render(asset=ASSET_PATH, photo_src=photo_src, **context)


def asset(name: str) -> tuple[Path, str] | None:
    """The file and content type of a report asset, None for any other name."""
    return ASSETS.get(name)


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class _LocalFetcher(URLFetcher):
        """Assets from disk, images from data: URLs, nothing from anywhere else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(_pdf_photo("")):
                data = photos.jpeg(url[len(_pdf_photo("")) :])
                if data is None:
                    raise ValueError(f"photo not readable: {url}")
                return URLFetcherResponse(url, data, {"Content-Type": "image/jpeg"})
            prefix = _PDF_ORIGIN + ASSET_PATH
            found = asset(url[len(prefix) :]) if url.startswith(prefix) else None
            if found is None:
                raise ValueError(f"reports load no outside resources: {url}")
            path, content_type = found
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return _LocalFetcher()


def render_pdf(html: str) -> bytes:
    """The page as a PDF (A4, fonts embedded by WeasyPrint, subset to the glyphs used)."""
    from weasyprint import HTML  # imported on first use: it loads pango

    document = HTML(string=html, base_url=_PDF_ORIGIN + "/", url_fetcher=_fetcher())
    # Fonts subset to the glyphs used (full_fonts=False: the CJK font is 5 MB); the photos are
    # already small JPEG thumbnails (photos.py), so no second re-encoding pass.
    return document.write_pdf(full_fonts=False, optimize_images=False)
