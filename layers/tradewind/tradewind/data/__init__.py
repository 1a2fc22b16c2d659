"""Data access: pynamodb models of the main table (``table``, ``models``, ``marketdata``) and S3 objects."""
