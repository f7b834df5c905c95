"""The `xunjian` command: Flask's CLI plus the project's commands (server/cli/commands.py)."""

from __future__ import annotations


def main() -> None:
    """Entry point of the `xunjian` console script."""
    from flask.cli import FlaskGroup

    from server import create_app

    FlaskGroup(create_app=lambda: create_app(), help="xunjian field inspection server.")(
        prog_name="xunjian"
    )
