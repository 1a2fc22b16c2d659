"""User schedules (docs/schedules.md): a job request on a clock, each a real EventBridge Scheduler
schedule whose target is the schedule-fire Lambda.

- :mod:`expressions`: rate/cron/at checked as EventBridge Scheduler does, next fire times in a zone;
- :mod:`models`: the request bodies and the tagged target (backtest, optimization, pipeline, command);
- :mod:`records`: the schedule and fire records (main table);
- :mod:`targets`: a target checked as if submitted now, and submitted at a fire;
- :mod:`service`: CRUD, pause/resume, history, the EventBridge twin;
- :mod:`fire`: one fire, idempotent per scheduled time.
"""
