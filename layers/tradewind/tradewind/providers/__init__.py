"""Real market-data providers (optional extras, imported lazily; they need the network)."""
