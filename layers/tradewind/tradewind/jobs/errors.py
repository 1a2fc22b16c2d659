"""The workflow's permanent error, in a module of its own so that the failure path (``mark_failed``)
and the API can name it without loading numpy or pandas."""

from __future__ import annotations


class JobInputError(ValueError):
    """The job cannot run as specified (a missing symbol, too few bars, an empty space): the message
    is shown to the user as the job's failure reason. The state machine retries no error of this
    type (matched by class name, ``infra/constructs/jobs.py``)."""
