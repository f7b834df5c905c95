"""autovacuum analyze of the ingest tables after 2 % of new rows, not PostgreSQL's default 10 %

Tables empty when the planner last looked (a fresh deployment) otherwise keep statistics of
zero rows until autovacuum's default threshold is passed, and the push's joins go bad
(docs/coverage.md, "Third round"). PostgreSQL only: SQLite has no autovacuum analyze.

Revision ID: 0017_autovacuum_ingest
Revises: 0016_reason_codes
"""

from alembic import op

revision = "0017_autovacuum_ingest"
down_revision = "0016_reason_codes"
branch_labels = None
depends_on = None

TABLES = (
    "visit",
    "inspection",
    "inspection_result",
    "visit_target",
    "visit_tally",
    "sync_receipt",
)
SETTINGS = "autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f'ALTER TABLE "{table}" SET ({SETTINGS})')


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(
            f'ALTER TABLE "{table}" RESET '
            "(autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)"
        )
