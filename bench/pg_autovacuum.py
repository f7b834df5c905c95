"""What autovacuum would have analysed by now, for a bench on a PostgreSQL server that runs
without it (this machine's: `autovacuum = off`).

A production server analyses a table once its rows changed since the last ANALYZE pass its
threshold (autovacuum_analyze_threshold + scale_factor x rows; migration 0017 sets 500 + 2 %
for the ingest tables), at most a naptime (one minute) later. ANALYZE also makes every
connection re-plan the statements it has prepared against that table, PostgreSQL's own
foreign-key checks included. Without it, a connection that first checked
inspection_result -> inspection while `inspection` was empty keeps the sequential scan it
planned then, for every result row, however big the table grows (docs/coverage.md, "Seventh
round"). `catch_up` analyses the tables past their threshold, as autovacuum would have.
"""

from __future__ import annotations

import sqlalchemy as sa

_DUE = sa.text(
    """
    SELECT c.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.n_mod_since_analyze > coalesce(
        (SELECT option_value::float FROM pg_options_to_table(c.reloptions)
         WHERE option_name = 'autovacuum_analyze_threshold'),
        current_setting('autovacuum_analyze_threshold')::float)
      + coalesce(
        (SELECT option_value::float FROM pg_options_to_table(c.reloptions)
         WHERE option_name = 'autovacuum_analyze_scale_factor'),
        current_setting('autovacuum_analyze_scale_factor')::float) * greatest(c.reltuples, 0)
    ORDER BY c.relname
    """
)


def server_runs_it(url: str) -> bool:
    """Whether the server's autovacuum is on (then it does its own work and this does none)."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        on = conn.scalar(sa.text("SHOW autovacuum")) == "on"
    engine.dispose()
    return on


def catch_up(url: str) -> list[str]:
    """ANALYZE the tables autovacuum would have analysed by now; their names."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        due = list(conn.scalars(_DUE))
        for name in due:
            conn.execute(sa.text(f'ANALYZE "{name}"'))
    engine.dispose()
    return due
