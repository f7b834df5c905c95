"""Faults and their contract clocks (SLA), swaps, RMA and the spare pool."""
