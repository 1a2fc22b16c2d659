"""Organisation settings: job defaults, time zone, base currency, in-app notification routing
(docs/audit.md, Settings)."""
