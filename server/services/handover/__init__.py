"""The handover package: one ZIP of a period's records, photos, a manifest and a README.

writer.py streams entries into the ZIP and keeps the manifest; parts.py is the registry of
what goes in (tables, coverage, photos, hooks for reports and assessment events); build.py
runs the parts for a period (inline or as a job); verify.py checks a ZIP against its manifest.
"""
