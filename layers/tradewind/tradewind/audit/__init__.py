"""Audit: an append-only record of every mutating call (docs/audit.md)."""
