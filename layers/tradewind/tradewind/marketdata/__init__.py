"""Market-data domain: the synthetic sample universe, file validation and Parquet encoding.

Pure code (numpy/pandas, no AWS). Modules import pandas at their top, so the API imports them only
inside the functions that need them.
"""
