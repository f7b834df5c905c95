"""The precache manifest lists every shell file with a content hash and leaves out what must not be cached."""

from pathlib import Path

from pwa.precache import build_precache_manifest, render_manifest_js

STATIC = Path(__file__).resolve().parents[2] / "pwa" / "static"


def test_manifest_lists_shell_with_content_revisions(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "index.html").write_text("<p>a</p>")
    (tmp_path / "js" / "main.js").write_text("1")
    (tmp_path / "sw.js").write_text("sw")
    (tmp_path / "LICENSE.x").write_text("licence")
    first = build_precache_manifest(tmp_path)
    assert [e["url"] for e in first] == ["/static/index.html", "/static/js/main.js"]
    (tmp_path / "js" / "main.js").write_text("2")
    second = build_precache_manifest(tmp_path)
    assert first[0] == second[0] and first[1]["revision"] != second[1]["revision"]


def test_real_shell_includes_the_decoder_and_entry_points():
    urls = {e["url"] for e in build_precache_manifest(STATIC)}
    for needed in (
        "/static/index.html",
        "/static/js/main.js",
        "/static/js/scanner-worker.js",
        "/static/vendor/zxing-wasm/zxing_reader.wasm",
        "/static/vendor/workbox/workbox-routing.prod.js",
    ):
        assert needed in urls
    assert "/static/precache-manifest.js" not in urls
    assert "self.__XJ_PRECACHE" in render_manifest_js(build_precache_manifest(STATIC))
