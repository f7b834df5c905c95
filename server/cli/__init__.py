"""The `xunjian` command: Flask's CLI plus the project's commands (server/cli/commands.py)."""

from __future__ import annotations

# The project's own commands: they call services only, so they run on the app without the HTTP
# API, and Flask's plugin commands (`db`, hence alembic) are not loaded for them. Checked against
# server/cli/commands.py by tests/server/test_cli.py.
LEAN_COMMANDS = frozenset(
    ("seed", "import", "export", "create-user", "labels", "plan", "coverage")
    + ("calendar", "assessment", "report", "handover", "jobs", "reminders", "photos")
    + ("backup", "restore", "evidence", "sync")
)
# Long-running processes get the whole app: start-up time does not matter to them.
WHOLE_APP_COMMANDS = frozenset(("serve", "worker"))


def main() -> None:
    """Entry point of the `xunjian` console script."""
    import gc

    from server import production

    production.exit_if_refused()  # a clear message, not a traceback from inside create_app

    # No cyclic collection while the imports and the app load (they only add long-lived objects);
    # get_command freezes them and turns it back on, so the command's own work is not slowed by
    # collections that scan every module again.
    gc.disable()
    cli()(prog_name="xunjian")


def cli():
    """The `xunjian` click group."""
    from flask.cli import FlaskGroup, ScriptInfo

    from server import create_app

    class XunjianGroup(FlaskGroup):
        """FlaskGroup that builds the lean app for the project's commands (a cold start of
        `xunjian labels print` pays for no blueprint, schema or migration it does not use)."""

        def get_command(self, ctx, name):
            if name not in LEAN_COMMANDS:
                command = super().get_command(ctx, name)
                _collect_again()
                return command
            info = ctx.ensure_object(ScriptInfo)
            info.create_app = lambda: create_app(with_api=False)
            app = info.load_app()
            ctx.with_resource(app.app_context())
            _collect_again()
            return app.cli.get_command(ctx, name)

    return XunjianGroup(create_app=lambda: create_app(), help="xunjian field inspection server.")


def _collect_again() -> None:
    """Move what loading made to the permanent generation, then collect cycles as usual."""
    import gc

    gc.freeze()
    gc.enable()
