"""The local cloud: ``make run`` runs the synthesized stack on an embedded moto (see docs/local-cloud.md)."""
