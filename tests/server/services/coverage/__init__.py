"""Tests of server/services/coverage/."""
