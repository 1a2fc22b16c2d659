"""The role every operation of the API needs, in one table.

Keys are ``(HTTP method, OpenAPI path template)`` exactly as the OpenAPI document spells them.
:func:`tradewind.api.auth.current_principal` looks the matched route up here on every authenticated
request and answers 403 (naming the role needed) when the caller's role does not allow it.
``tests/unit/api/test_route_roles.py`` walks the OpenAPI document: an operation with a security
requirement and no entry here (or in :data:`SIGNED_IN_ROUTES`), or an entry for an operation that
does not exist, fails it.

Reads are ``viewer``; what runs, creates, edits or deletes research objects is ``researcher``;
members, keys, settings, audit and channels are ``admin``. Marking one's notifications read and
taking a WebSocket ticket are reads. Add your route's line when you add the route.
"""

from __future__ import annotations

from tradewind.accounts.principal import Role

V, R, A = Role.VIEWER, Role.RESEARCHER, Role.ADMIN

PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/health"),
        ("GET", "/health/live"),
        ("GET", "/health/ready"),
        ("GET", "/health/info"),
    }
)
"""Operations without a credential (no security requirement in the OpenAPI document)."""

SIGNED_IN_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/me"),
        ("POST", "/me/invitations/{invitation_id}/accept"),
    }
)
"""Operations any authenticated caller may use, even a person who belongs to no organisation yet."""

ROUTE_ROLES: dict[tuple[str, str], Role] = {
    ("GET", "/health/system"): V,
    # the organisation's members and invitations
    ("GET", "/org/members"): V,
    ("PATCH", "/org/members/{member_id}"): A,
    ("DELETE", "/org/members/{member_id}"): A,
    ("GET", "/org/invitations"): A,
    ("POST", "/org/invitations"): A,
    ("DELETE", "/org/invitations/{invitation_id}"): A,
    # API keys
    ("GET", "/api-keys"): A,
    ("POST", "/api-keys"): A,
    ("DELETE", "/api-keys/{key_id}"): A,
    # watchlists
    ("GET", "/watchlists"): V,
    ("POST", "/watchlists"): R,
    ("GET", "/watchlists/{watchlist_id}"): V,
    ("PUT", "/watchlists/{watchlist_id}"): R,
    ("DELETE", "/watchlists/{watchlist_id}"): R,
    ("POST", "/watchlists/{watchlist_id}/symbols"): R,
    ("DELETE", "/watchlists/{watchlist_id}/symbols/{symbol}"): R,
    # datasets and market data
    ("GET", "/datasets"): V,
    ("POST", "/datasets"): R,
    ("POST", "/datasets/sample"): R,
    ("POST", "/datasets/import/yfinance"): R,
    ("GET", "/datasets/{dataset_id}"): V,
    ("DELETE", "/datasets/{dataset_id}"): R,
    ("POST", "/datasets/{dataset_id}/complete"): R,
    ("GET", "/symbols"): V,
    ("GET", "/symbols/{symbol}/candles"): V,
    # notifications (in the app)
    ("GET", "/notifications"): V,
    ("GET", "/notifications/unread-count"): V,
    ("POST", "/notifications/read-all"): V,
    ("POST", "/notifications/{notification_id}/read"): V,
    # strategies
    ("GET", "/strategies/templates"): V,
    ("GET", "/strategies/indicators"): V,
    ("GET", "/strategies/templates/{name}"): V,
    ("POST", "/strategies/validate"): V,
    ("POST", "/strategies/import"): R,
    ("GET", "/strategies"): V,
    ("POST", "/strategies"): R,
    ("GET", "/strategies/{strategy_id}"): V,
    ("PUT", "/strategies/{strategy_id}"): R,
    ("DELETE", "/strategies/{strategy_id}"): R,
    ("GET", "/strategies/{strategy_id}/versions"): V,
    ("GET", "/strategies/{strategy_id}/versions/{version}"): V,
    ("GET", "/strategies/{strategy_id}/export"): V,
    # backtests
    ("POST", "/backtests"): R,
    ("GET", "/backtests"): V,
    ("GET", "/backtests/compare"): V,
    ("GET", "/backtests/{job_id}/results"): V,
    ("GET", "/backtests/{job_id}/trades"): V,
    ("GET", "/backtests/{job_id}/curves"): V,
    # optimizations
    ("POST", "/optimizations/estimate"): V,
    ("POST", "/optimizations"): R,
    ("GET", "/optimizations"): V,
    ("GET", "/optimizations/{job_id}/leaderboard"): V,
    ("GET", "/optimizations/{job_id}/table"): V,
    ("GET", "/optimizations/{job_id}/heatmap"): V,
    ("GET", "/optimizations/{job_id}/download"): V,
    ("GET", "/optimizations/{job_id}/walk-forward"): V,
    ("POST", "/optimizations/{job_id}/combinations/{n}/backtest"): R,
    # pipeline
    ("POST", "/pipeline/runs"): R,
    ("GET", "/pipeline/runs"): V,
    ("GET", "/pipeline/stats"): V,
    ("GET", "/pipeline/runs/{job_id}"): V,
    ("POST", "/pipeline/runs/{job_id}/stop"): R,
    ("GET", "/pipeline/runs/{job_id}/signals"): V,
    ("GET", "/pipeline/runs/{job_id}/signals/export"): V,
    ("GET", "/pipeline/runs/{job_id}/breadth"): V,
    ("GET", "/pipeline/signals"): V,
    ("GET", "/pipeline/signals/export"): V,
    ("GET", "/pipeline/breadth"): V,
    ("GET", "/pipeline/breadth/{universe}"): V,
    ("POST", "/pipeline/scan"): R,
    # jobs
    ("GET", "/jobs"): V,
    ("GET", "/jobs/stats"): V,
    ("GET", "/jobs/{job_id}"): V,
    ("DELETE", "/jobs/{job_id}"): R,
    ("POST", "/jobs/{job_id}/cancel"): R,
    ("POST", "/jobs/{job_id}/pause"): R,
    ("POST", "/jobs/{job_id}/resume"): R,
    ("GET", "/jobs/{job_id}/timeline"): V,
    ("GET", "/jobs/{job_id}/progress"): V,
    ("GET", "/jobs/{job_id}/logs"): V,
    # commands
    ("GET", "/commands"): V,
    ("GET", "/commands/runs"): V,
    ("GET", "/commands/{name}"): V,
    ("POST", "/commands/{name}/runs"): R,
    # schedules
    ("GET", "/schedules"): V,
    ("POST", "/schedules"): R,
    ("POST", "/schedules/preview"): V,
    ("GET", "/schedules/{schedule_id}"): V,
    ("PATCH", "/schedules/{schedule_id}"): R,
    ("DELETE", "/schedules/{schedule_id}"): R,
    ("POST", "/schedules/{schedule_id}/pause"): R,
    ("POST", "/schedules/{schedule_id}/resume"): R,
    ("GET", "/schedules/{schedule_id}/fires"): V,
    # workflows (docs/workflows.md): reading is viewing, defining and running them is research
    ("GET", "/workflows"): V,
    ("POST", "/workflows"): R,
    ("GET", "/workflows/runs/{job_id}"): V,
    ("GET", "/workflows/{workflow_id}"): V,
    ("PUT", "/workflows/{workflow_id}"): R,
    ("DELETE", "/workflows/{workflow_id}"): R,
    ("GET", "/workflows/{workflow_id}/runs"): V,
    ("POST", "/workflows/{workflow_id}/runs"): R,
    # realtime
    ("POST", "/realtime/tickets"): V,
    # audit trail and organisation settings (docs/audit.md)
    ("GET", "/audit"): A,
    ("GET", "/audit/export"): A,
    ("GET", "/settings"): V,
    ("PUT", "/settings"): A,
    # notification channels (docs/alerts.md): they hold secrets, so reads are for admins too
    ("GET", "/channels"): A,
    ("POST", "/channels"): A,
    ("GET", "/channels/{channel_id}"): A,
    ("PUT", "/channels/{channel_id}"): A,
    ("DELETE", "/channels/{channel_id}"): A,
    ("POST", "/channels/{channel_id}/test"): A,
    ("POST", "/channels/{channel_id}/resume"): A,
    ("GET", "/channels/{channel_id}/deliveries"): A,
}
"""(method, path template) -> the least role that may call it."""

UNDECLARED_ROLE = Role.ADMIN
"""What an operation missing from :data:`ROUTE_ROLES` needs at run time: fail closed (the test fails too)."""


def role_needed(method: str, path: str) -> Role:
    """The least role allowed to call ``method path`` (a template); admin when undeclared."""
    return ROUTE_ROLES.get((method.upper(), path), UNDECLARED_ROLE)
