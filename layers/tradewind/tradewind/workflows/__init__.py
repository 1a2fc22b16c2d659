"""Workflows (docs/workflows.md): a named sequence of 1..20 steps, each a job request, run one after
another by a Step Functions state machine that waits for each step's job to end.

- :mod:`models`: what a client sends (pydantic only);
- :mod:`records`: the ``WORKFLOW#{id}`` record;
- :mod:`service`: CRUD (each step checked as if submitted now, by ``schedules.targets.check``);
- :mod:`runs`: a run is a job of kind ``workflow``: start, list, view, stop;
- :mod:`steps`: the state machine's tasks (begin, submit a step and wait, succeed, fail);
- :mod:`callback`: the task token sent when a step's job ends (``jobs.records.finish``).
"""
