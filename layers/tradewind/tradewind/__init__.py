"""Tradewind: serverless trading research.

The package holds the domain (indicators, strategy language, engine, metrics) and the data access
used by the Lambda handlers in ``functions/``. Importing it is cheap: heavy modules (pandas, boto3)
load only when the feature that needs them is used.
"""

from tradewind.version import __version__

__all__ = ["__version__"]
