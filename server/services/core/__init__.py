"""Shared services: users and sessions, audit, reference data, places, devices and custody, photos."""
