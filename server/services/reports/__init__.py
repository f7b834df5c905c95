"""Reports as documents: Chinese HTML + CSS templates rendered to PDF (docs/reports.md)."""

from server.services.reports.registry import KINDS, listing, render_report, report_html

__all__ = ["KINDS", "listing", "render_report", "report_html"]
