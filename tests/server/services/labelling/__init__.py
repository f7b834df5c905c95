"""Tests of server/services/labelling/."""
