"""Realtime: WebSocket connections, tenant-scoped topic subscriptions and fan-out.

``publish(tenant_id, topic, event_type, payload)`` is the one entry point other features use to push
a message to browsers and CLIs; the protocol is documented in docs/websocket.md.
"""

from tradewind.realtime.publisher import publish

__all__ = ["publish"]
