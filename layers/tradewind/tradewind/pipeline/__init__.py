"""The signal pipeline (docs/pipeline.md): scans, signals and market breadth over a universe.

Pure domain (no AWS): :mod:`signals` (a strategy's decisions on one symbol's bars), :mod:`breadth`
(market breadth over many symbols), :mod:`timeframes` (resampling), :mod:`batch` (one batch's
symbols scanned). Use cases: :mod:`submit` with :mod:`resolve` (``POST /pipeline/runs``), :mod:`runs`
(list, get, stop, stats), :mod:`results` (signals, export, breadth), :mod:`scan` (a dataset scanned
in one call). Workflow steps: :mod:`worker` (one batch of symbols from SQS), :mod:`aggregate` (once,
after the last batch) and :mod:`history` (a universe's breadth history). Around them: :mod:`spec`
(request and spec models), :mod:`keys` (object keys), :mod:`config`, :mod:`events`, :mod:`views`.
"""
