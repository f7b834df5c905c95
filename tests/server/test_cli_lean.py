"""The project's CLI commands run on the app without the HTTP API; Flask's own commands get all."""

import json
import subprocess
import sys

from click.testing import CliRunner

from server import create_app
from server.cli import LEAN_COMMANDS, WHOLE_APP_COMMANDS, cli
from server.cli.commands import COMMANDS
from server.config import TestConfig

PROBE = """
import json, sys
from server import create_app
from server.cli import main
from server.extensions import db

with create_app(with_api=False).app_context():
    db.create_all()
sys.argv = ["xunjian", "labels", "templates"]
try:
    main()
except SystemExit as exc:
    code = exc.code
heavy = ("flask_smorest", "apispec", "alembic", "flask_migrate", "server.api", "reportlab")
import gc
loaded = [m for m in heavy if m in sys.modules]
print(json.dumps({"code": code, "loaded": loaded, "gc": gc.isenabled()}))
"""


def test_lean_commands_are_the_projects_commands():
    names = {command.name for command in COMMANDS}
    assert names == LEAN_COMMANDS | WHOLE_APP_COMMANDS
    assert not LEAN_COMMANDS & WHOLE_APP_COMMANDS


def test_a_lean_app_has_no_api_and_the_whole_app_has_it():
    lean = {rule.rule for rule in create_app(TestConfig, with_api=False).url_map.iter_rules()}
    whole = {rule.rule for rule in create_app(TestConfig).url_map.iter_rules()}
    assert not any(rule.startswith("/api/") for rule in lean)
    assert "/api/v1/labels/print" in whole and "/api/openapi.json" in whole


def test_a_project_command_imports_neither_the_api_nor_alembic(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "test"}
    env["XUNJIAN_INSTANCE"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    *output, probe = done.stdout.strip().splitlines()
    assert any(line.startswith("a4-3x8 ") for line in output)
    assert json.loads(probe) == {"code": 0, "loaded": [], "gc": True}  # collection back on


def test_flask_commands_still_see_every_route(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SECRET_KEY", "test")
    result = CliRunner().invoke(cli(), ["routes"])
    assert result.exit_code == 0, result.output
    assert "/api/v1/labels/print" in result.output and "/api/openapi.json" in result.output
