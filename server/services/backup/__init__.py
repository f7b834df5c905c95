"""Backups that prove they restore (docs/backup.md): sealed files, restore checks, restore."""
