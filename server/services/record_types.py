"""Imports every module that registers sync record types or field-pack sections."""
# One import per feature; each module registers its types when imported.
import server.services.plans_sync  # noqa: F401,E402  (pack section "plans")
