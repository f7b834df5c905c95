"""Tests of server/services/faults/."""
