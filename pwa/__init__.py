"""The offline field app (PWA): static files under pwa/static and the precache manifest builder."""
