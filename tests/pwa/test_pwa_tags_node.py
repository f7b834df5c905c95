"""Run the exhaustive asset-tag tests (tests/pwa/tags.test.mjs) under node, so pytest covers them too."""

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_tag_check_character_in_node():
    run = subprocess.run(
        ["node", "--test", str(HERE / "tags.test.mjs")], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_phone_and_server_agree_on_every_tag():
    """tags.js (phone) and server/tags.py must accept and refuse exactly the same strings."""
    import json

    from server import tags

    samples = []
    for n in range(0, 32**tags.PAYLOAD_LEN, 32**tags.PAYLOAD_LEN // 211):
        tag = tags.make_tag(n)
        samples.append(tag)
        samples.append(tag[:3] + tag[4] + tag[3] + tag[5:])
        samples.append(tag[:-1] + tags.ALPHABET[(tags.VALUE[tag[-1]] + n) % 32])
        samples.append(tag.lower().replace("0", "o").replace("1", "l"))
    script = (
        "import('" + (HERE.parents[1] / "pwa/static/js/tags.js").as_uri() + "').then(m => {"
        "const input = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(input.map(t => m.isValidTag(m.normalizeTag(t)))));})"
    )
    run = subprocess.run(
        ["node", "-e", script, json.dumps(samples)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    phone = json.loads(run.stdout)
    server = [tags.is_valid(t) for t in samples]
    assert phone == server
    assert 0 < sum(server) < len(server)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_supervisor_page_helpers_in_node():
    """The supervisor pages' shared helpers (pwa/static/supervisor/page.js) under node."""
    run = subprocess.run(
        ["node", "--test", str(HERE / "supervisor_page.test.mjs")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
