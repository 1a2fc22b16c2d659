"""Alerts where people are: an organisation's notification channels (webhook, Slack, Discord,
Telegram), the events they subscribe to, and their delivery through SQS (docs/alerts.md).

``events``, ``payloads`` and ``targets`` are pure (no AWS); ``channels`` is the channel use cases,
``publish`` the one entry point producers call, ``delivery`` what the ``alert_delivery`` Lambda runs.
"""
