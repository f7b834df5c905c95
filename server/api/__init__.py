"""API blueprints, one module per resource, all under /api/v1."""

from server import strict_json

strict_json.install()  # before any blueprint below builds its argument parsers
# ruff: noqa: E402  (the blueprints must import after the JSON reader is installed)

from server.api.assessment import blp as assessment_blp
from server.api.audit import blp as audit_blp
from server.api.auth import blp as auth_blp
from server.api.backups import blp as backups_blp
from server.api.calendar import blp as calendar_blp
from server.api.checklists import blp as checklists_blp
from server.api.coverage import blp as coverage_blp
from server.api.custody import blp as custody_blp
from server.api.dashboard import blp as dashboard_blp
from server.api.device_bulk import blp as device_bulk_blp
from server.api.device_import import blp as device_import_blp
from server.api.device_types import blp as device_types_blp
from server.api.devices import blp as devices_blp
from server.api.fault_desk import blp as fault_desk_blp
from server.api.faults import blp as faults_blp
from server.api.field import blp as field_blp
from server.api.handover import blp as handover_blp
from server.api.health import blp as health_blp
from server.api.jobs import blp as jobs_blp
from server.api.label_printing import blp as label_printing_blp
from server.api.labels import blp as labels_blp
from server.api.labels import retag_blp
from server.api.meeting_log import blp as meeting_log_blp
from server.api.meetings import blp as meetings_blp
from server.api.photos import blp as photos_blp
from server.api.plans import blp as plans_blp
from server.api.regions import blp as regions_blp
from server.api.reminders import blp as reminders_blp
from server.api.reports import blp as reports_blp
from server.api.review import blp as review_blp
from server.api.rma import blp as rma_blp
from server.api.set_aside import blp as set_aside_blp
from server.api.sites import blp as sites_blp
from server.api.spares import blp as spares_blp
from server.api.swaps import blp as swaps_blp
from server.api.sync import blp as sync_blp
from server.api.sync_import import blp as sync_import_blp
from server.api.users import blp as users_blp

API_BLUEPRINTS = [
    health_blp,
    auth_blp,
    regions_blp,
    sites_blp,
    device_types_blp,
    device_bulk_blp,
    devices_blp,
    device_import_blp,
    checklists_blp,
    users_blp,
    audit_blp,
    labels_blp,
    label_printing_blp,
    retag_blp,
    faults_blp,
    fault_desk_blp,
    swaps_blp,
    rma_blp,
    spares_blp,
    custody_blp,
    sync_blp,
    sync_import_blp,
    photos_blp,
    field_blp,
    plans_blp,
    coverage_blp,
    calendar_blp,
    jobs_blp,
    handover_blp,
    assessment_blp,
    reports_blp,
    review_blp,
    set_aside_blp,
    dashboard_blp,
    meetings_blp,
    meeting_log_blp,
    reminders_blp,
    backups_blp,
]
