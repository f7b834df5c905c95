"""Tests of server/services/field/."""
