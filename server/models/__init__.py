"""All models, re-exported so callers import from server.models."""

from server.models.assessment import ASSESSMENT_FORMS, AssessmentEvent
from server.models.audit import AuditLog
from server.models.base import Base, utcnow
from server.models.calendar import CalendarOverride
from server.models.checklists import (
    INSPECTION_KINDS,
    ITEM_TYPES,
    SITE_CHECK_DEVICE_KIND,
    SITE_CHECK_KIND,
    SITE_CHECK_SECTIONS,
    ChecklistItem,
    ChecklistTemplate,
)
from server.models.devices import DEVICE_KINDS, DEVICE_STATUSES, Device, DeviceEvent, DeviceType
from server.models.faults import (
    ASSIGNMENT_STEPS,
    ESCALATION_STEPS,
    FAULT_LEVELS,
    FAULT_SEVERITIES,
    FAULT_SOURCES,
    FAULT_STEPS,
    FAULT_TIERS,
    SWAP_STATES,
    Fault,
    FaultComment,
    FaultStep,
    Swap,
)
from server.models.field import (
    Inspection,
    InspectionResult,
    Visit,
    VisitFinish,
    VisitTally,
    VisitTarget,
)
from server.models.jobs import JOB_STATUSES, Job
from server.models.labels import (
    PRINT_FORMATS,
    PRINT_KINDS,
    LabelTemplateSetting,
    PrintJob,
    PrintJobItem,
    TagAlias,
)
from server.models.meeting_checks import MEETING_CHECK_KINDS, TEST_RESULTS, MeetingCheck
from server.models.meeting_log import INCIDENT_KINDS, MeetingIncident, UsageRegister
from server.models.meetings import (
    MEETING_KINDS,
    MEETING_PLATFORMS,
    MEETING_STATES,
    Meeting,
    MeetingEngineer,
    MeetingRevision,
    MeetingSite,
)
from server.models.places import (
    BUREAU_TIERS,
    REGION_LEVELS,
    ROOM_KINDS,
    SITE_TIERS,
    Region,
    Room,
    Site,
)
from server.models.plans import ENTRY_STATES, PLAN_KINDS, PLAN_STATUSES, Plan, PlanEntry
from server.models.reminders import (
    ReminderAttempt,
    ReminderChannel,
    ReminderDelivery,
    ReminderRuleSetting,
    ReminderSubscription,
)
from server.models.reports import ReportNote
from server.models.site_checks import SiteCheck
from server.models.spares import RMA_DISPOSITIONS, RMA_OUTCOMES, RmaRecord, SpareThreshold
from server.models.sync import CONFLICT_STATES, SyncConflict, SyncReceipt
from server.models.users import LoginFailure, User, UserSession

__all__ = [
    "ASSESSMENT_FORMS",
    "AssessmentEvent",
    "AuditLog",
    "Base",
    "CalendarOverride",
    "ChecklistItem",
    "ChecklistTemplate",
    "DEVICE_KINDS",
    "DEVICE_STATUSES",
    "Device",
    "DeviceEvent",
    "DeviceType",
    "INSPECTION_KINDS",
    "SITE_CHECK_DEVICE_KIND",
    "SITE_CHECK_KIND",
    "SITE_CHECK_SECTIONS",
    "SiteCheck",
    "ITEM_TYPES",
    "Inspection",
    "InspectionResult",
    "LabelTemplateSetting",
    "PRINT_FORMATS",
    "PRINT_KINDS",
    "PrintJob",
    "PrintJobItem",
    "REGION_LEVELS",
    "ROOM_KINDS",
    "Region",
    "Room",
    "SITE_TIERS",
    "BUREAU_TIERS",
    "Site",
    "TagAlias",
    "LoginFailure",
    "User",
    "UserSession",
    "Visit",
    "VisitTally",
    "VisitTarget",
    "utcnow",
    "VisitFinish",
    "ASSIGNMENT_STEPS",
    "ESCALATION_STEPS",
    "FAULT_LEVELS",
    "FAULT_TIERS",
    "FaultComment",
    "FAULT_SEVERITIES",
    "FAULT_SOURCES",
    "FAULT_STEPS",
    "SWAP_STATES",
    "Fault",
    "FaultStep",
    "Swap",
    "RMA_DISPOSITIONS",
    "RMA_OUTCOMES",
    "ReportNote",
    "ReminderAttempt",
    "ReminderChannel",
    "ReminderDelivery",
    "ReminderRuleSetting",
    "ReminderSubscription",
    "RmaRecord",
    "SpareThreshold",
    "CONFLICT_STATES",
    "SyncConflict",
    "SyncReceipt",
    "ENTRY_STATES",
    "PLAN_KINDS",
    "PLAN_STATUSES",
    "Plan",
    "PlanEntry",
    "JOB_STATUSES",
    "MEETING_KINDS",
    "MEETING_PLATFORMS",
    "MEETING_STATES",
    "Meeting",
    "MeetingEngineer",
    "MeetingRevision",
    "MeetingSite",
    "MEETING_CHECK_KINDS",
    "TEST_RESULTS",
    "MeetingCheck",
    "Job",
    "INCIDENT_KINDS",
    "MeetingIncident",
    "UsageRegister",
]
