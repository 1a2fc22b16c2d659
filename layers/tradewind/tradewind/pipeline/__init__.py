"""The signal pipeline (docs/pipeline.md): scans, signals and market breadth over a universe.

Pure domain (no AWS): :mod:`signals` (a strategy's decisions on one symbol's bars), :mod:`breadth`
(market breadth over many symbols), :mod:`timeframes` (resampling). Use cases: :mod:`submit`
(``POST /pipeline/runs``), :mod:`runs` (list, get, stop, stats), :mod:`results` (signals, export,
breadth), :mod:`scan` (a dataset scanned in one call). Workflow steps: :mod:`worker` (one batch of
symbols from SQS) and :mod:`aggregate` (once, after the last batch).
"""
