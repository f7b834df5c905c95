"""Observability: request ids and logs, metrics, readiness (docs/observability.md)."""
