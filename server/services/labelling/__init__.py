"""Asset labels: print jobs and templates, label batches, re-tagging."""
