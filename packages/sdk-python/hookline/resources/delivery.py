"""Endpoints, events, the delivery log and the notification log."""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence

from ._base import ListResource, Resource, fields, path, time_value


class WebhookEndpoints(ListResource):
    """Subscribed endpoints: ``/api/v1/webhooks/endpoints``."""

    _route = path("webhooks", "endpoints")

    def _one(self, endpoint_id: str, *rest: str) -> str:
        return path("webhooks", "endpoints", endpoint_id, *rest)

    def get(self, endpoint_id: str) -> Dict[str, Any]:
        return self._t.request("GET", self._one(endpoint_id))

    def create(self, url: str, events: Sequence[str], **extra: Any) -> Dict[str, Any]:
        """Create an endpoint. The answer's ``secret`` (``whsec_…``) is shown only here.

        ``extra``: ``description``, ``headers``, ``timeout_seconds``, ``retry_schedule``,
        ``signing_scheme`` (standard, x-signature, agentgateway, github), ``rate_limit``, ``enabled``.
        """
        return self._t.request("POST", self._route, body={"url": url, "events": list(events), **extra})

    def update(self, endpoint_id: str, **changes: Any) -> Dict[str, Any]:
        """Change only the fields given; ``None`` is sent as JSON null (e.g. ``retry_schedule=None``)."""
        return self._t.request("PATCH", self._one(endpoint_id), body=changes)

    def delete(self, endpoint_id: str) -> None:
        """Delete; its pending deliveries fail as ``endpoint_deleted``, the log stays."""
        self._t.request("DELETE", self._one(endpoint_id))

    def enable(self, endpoint_id: str) -> Dict[str, Any]:
        """Re-enable; nothing from while it was disabled is delivered (see ``replay``)."""
        return self._t.request("POST", self._one(endpoint_id, "enable"), idempotent=True)

    def disable(self, endpoint_id: str) -> Dict[str, Any]:
        return self._t.request("POST", self._one(endpoint_id, "disable"), idempotent=True)

    def rotate_secret(self, endpoint_id: str, grace_period_seconds: Optional[int] = None) -> Dict[str, Any]:
        """A new ``secret``, shown once; the old one keeps signing for the grace period
        (server default 24 h; 0 stops it at once)."""
        return self._t.request("POST", self._one(endpoint_id, "rotate-secret"), body=fields(grace_period_seconds=grace_period_seconds))

    def send_test(self, endpoint_id: str) -> Dict[str, Any]:
        """Send a ``webhook.test`` event to this endpoint only: ``{"event_id"}``."""
        return self._t.request("POST", self._one(endpoint_id, "test"))

    def replay(self, endpoint_id: str, since: Any, until: Any = None) -> Dict[str, Any]:
        """Re-send stored events published in ``[since, until)``: ``{"enqueued": n}``.

        ``since``/``until``: a ``datetime``, an ISO-8601 string or epoch milliseconds.
        """
        body = fields(since=_time_string(since), until=_time_string(until))
        return self._t.request("POST", self._one(endpoint_id, "replay"), body=body)


def _time_string(value: Any) -> Optional[str]:
    if value is None:
        return None
    value = time_value(value)
    return str(value)


class Events(Resource):
    """Publishing events: ``/api/v1/events``."""

    def publish(self, type: str, data: Any = None, id: Optional[str] = None) -> Dict[str, Any]:
        """Publish to every subscribed endpoint: ``{"event", "duplicate", "deliveries"}``.

        ``id`` is your idempotency key: publishing it again queues nothing and answers
        ``duplicate: True``. With an ``id`` the call is also retried on connection errors.
        """
        body = fields(type=type, id=id)
        if data is not None:
            body["data"] = data
        return self._t.request("POST", path("events"), body=body, idempotent=id is not None)

    def get(self, event_id: str) -> Dict[str, Any]:
        """The envelope exactly as endpoints receive it."""
        return self._t.request("GET", path("events", event_id))


class Deliveries(ListResource):
    """The endpoint delivery log: ``list(endpoint_id=, status=, event_type=)``."""

    _route = path("deliveries")

    def get(self, delivery_id: str) -> Dict[str, Any]:
        """One delivery with its ``event`` and every attempt in ``history``."""
        return self._t.request("GET", path("deliveries", delivery_id))

    def retry(self, delivery_id: str) -> Dict[str, Any]:
        """Send the identical body again now (with a fresh signature)."""
        return self._t.request("POST", path("deliveries", delivery_id, "retry"))


class Notifications(ListResource):
    """The notification log (docs/notifications.md): ``list(status=, agent_id=, channel=, execution_id=)``."""

    _route = path("notifications")

    def get(self, notification_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("notifications", notification_id))

    def retry(self, notification_id: str) -> Dict[str, Any]:
        """Send it again now, with content identical to the first attempt."""
        return self._t.request("POST", path("notifications", notification_id, "retry"))

    def slack_test(self, channel: Optional[str] = None, text: Optional[str] = None) -> Dict[str, Any]:
        """Post one test message to Slack now with the configured bot token."""
        return self._t.request("POST", path("notifications", "slack", "test"), body=fields(channel=channel, text=text))
