"""Use cases: what a handler or route calls. Each module composes domain logic and data access."""
