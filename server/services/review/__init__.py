"""Review queues: what waits for a person (docs/sync.md, "Review queues")."""
