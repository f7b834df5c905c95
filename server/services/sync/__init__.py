"""Sync protocol: the push engine, envelopes, limits, record-type registry, conflicts, pull."""
