"""Health: liveness and readiness are public (load balancers and probes sign in to nothing).
/metrics is outside /api/v1 and guarded by METRICS_TOKEN or loopback (tests/server/observability/)."""

PUBLIC = {("GET", "/api/v1/health/ready")}
