"""What the app installs process-wide at set-up, in one visible place: the ORM session hooks
and the sync record types (create_app runs install_all through server/setup.py)."""

from __future__ import annotations


def install_all() -> None:
    """Install every ORM hook and register every record type; idempotent (tests build many apps)."""
    from server.services import record_types
    from server.services.core import audit, moves
    from server.services.coverage import targets as visit_targets
    from server.services.field import records as field_records
    from server.services.meetings import due as meeting_due

    # The order is the listeners' order on each event (kept as it was): inspections of a tag
    # just registered get their device first; the coverage rows are marked after both.
    field_records.install_hooks()  # before/after flush: a new device claims its tag's inspections
    audit.install_hooks()  # before/after flush: audit log rows
    moves.install_hooks()  # before flush: custody events of moves no service call recorded
    visit_targets.install_hooks()  # after flush, before commit: the visits' coverage rows
    from server import tasks

    tasks.install_enqueue_hook()  # after commit: the jobs a transaction started are enqueued
    from server.observability import metrics

    metrics.install_commit_hook()  # after commit: the push answers counted (sync records)
    record_types.register_all()
    # a finished pre-meeting visit marks its meeting's host-room checklist done
    meeting_due.register_done_source(meeting_due.checklist_from_visits)
    from server.services.meetings import checks as meeting_checks

    # arrival, site confirmation and joint-test records mark their checks done
    meeting_due.register_done_source(meeting_checks.done_from_checks)
    from server.services.meetings import log as meeting_log
    from server.services.meetings import register as usage_register
    from server.services.reports import meeting_register

    meeting_log.install()  # the meeting timeline's sources
    meeting_register.register_source(usage_register.pdf_source)  # the register PDF's rows
