"""Presence: was the engineer at the site? Visits flagged by distance, position and clock
(flags.py); a site's point proposed from its accepted visits (propose.py). Never refuses."""
