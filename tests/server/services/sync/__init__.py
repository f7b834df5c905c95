"""Tests of server/services/sync/."""
