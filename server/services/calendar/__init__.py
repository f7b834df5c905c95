"""The working-day calendar (TEMPORARY: replaced by the calendar branch at merge)."""
