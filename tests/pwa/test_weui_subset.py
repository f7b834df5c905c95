"""The field app's WeUI subset (pwa/static/vendor/weui/weui.field.css) is what scripts/weui_subset.py
cuts from the vendored weui.min.css for the WeUI classes the app names today, licence banner first."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("weui_subset", ROOT / "scripts" / "weui_subset.py")
weui_subset = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(weui_subset)


def test_the_subset_is_current_for_the_classes_the_app_uses():
    expected = weui_subset.subset_css(weui_subset.SOURCE.read_text(), weui_subset.used_classes())
    assert weui_subset.SUBSET.read_text() == expected, "run: python scripts/weui_subset.py"


def test_the_subset_keeps_the_licence_and_the_used_rules():
    text = weui_subset.SUBSET.read_text()
    assert text.startswith("/*!\n * WeUI v") and "Licensed under the MIT license" in text
    for name in ("weui-btn", "weui-btn_primary", "weui-btn_default", "weui-cell"):
        assert f".{name}" in text
    assert ".weui-dialog" not in text  # not used by the app: cut


def test_a_class_the_app_starts_using_is_kept():
    source = weui_subset.SOURCE.read_text()
    assert ".weui-dialog" in weui_subset.subset_css(source, {"weui-dialog"})


def test_the_shell_links_the_subset_and_does_not_precache_the_whole_file():
    from pwa.precache import build_precache_manifest

    index = (ROOT / "pwa" / "static" / "index.html").read_text()
    assert "/static/vendor/weui/weui.field.css" in index and "weui.min.css" not in index
    urls = {e["url"] for e in build_precache_manifest(ROOT / "pwa" / "static")}
    assert "/static/vendor/weui/weui.field.css" in urls
    assert "/static/vendor/weui/weui.min.css" not in urls
