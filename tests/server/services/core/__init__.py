"""Tests of server/services/core/."""
