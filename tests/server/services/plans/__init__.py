"""Tests of server/services/plans/."""
