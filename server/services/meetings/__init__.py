"""Meetings: scheduling, participating sites, engineers, history, due checks, notice import."""
