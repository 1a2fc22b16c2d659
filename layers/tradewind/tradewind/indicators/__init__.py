"""Technical indicators (numpy, causal, NaN warm-up) and the registry the strategy language uses.

Import the functions from ``tradewind.indicators.functions`` (it loads pandas); this package itself
stays light so the API can validate strategies without numpy-heavy imports.
"""

from tradewind.indicators.registry import SPECS, IndicatorSpec, ParamSpec

__all__ = ["SPECS", "IndicatorSpec", "ParamSpec"]
