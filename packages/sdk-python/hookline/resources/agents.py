"""Crews, agents, runs, schedules, named webhook triggers and callbacks."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, Dict, Iterator, Mapping, Optional

from ._base import ListResource, Resource, fields, path, time_value


class Crews(Resource):
    """Teams of agents: ``/api/v1/crews``."""

    def list(self) -> Dict[str, Any]:
        """``{"items": [...]}``: every crew (not paginated)."""
        return self._t.request("GET", path("crews"))

    def iterate(self) -> Iterator[Dict[str, Any]]:
        return self._walk(path("crews"), {})

    def get(self, crew_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("crews", crew_id))

    def create(self, name: str, id: Optional[str] = None) -> Dict[str, Any]:
        """``id`` is a slug (lower-case letters, digits, - and _); generated when omitted."""
        return self._t.request("POST", path("crews"), body=fields(id=id, name=name))

    def delete(self, crew_id: str) -> None:
        """Delete an empty crew."""
        self._t.request("DELETE", path("crews", crew_id))


class Agents(ListResource):
    """Agents: ``/api/v1/agents``. ``list(crew_id=…, limit=…, offset=…)``."""

    _route = path("agents")

    def get(self, agent_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("agents", agent_id))

    def create(self, crew_id: str, name: str, runner: str, runner_config: Mapping[str, Any], **extra: Any) -> Dict[str, Any]:
        """Create an agent. The answer's ``webhook_secret`` is shown only here.

        ``extra``: ``id``, ``description``, ``prompt_template``, ``timeout_seconds``,
        ``max_concurrent_runs``, ``model``, ``rate_limit_per_minute``, ``notifications``.
        """
        body = {"crew_id": crew_id, "name": name, "runner": runner, "runner_config": dict(runner_config), **extra}
        return self._t.request("POST", path("agents"), body=body)

    def update(self, agent_id: str, **changes: Any) -> Dict[str, Any]:
        """Change only the fields given (``None`` is sent as JSON null, e.g. ``model=None``)."""
        return self._t.request("PATCH", path("agents", agent_id), body=changes)

    def delete(self, agent_id: str) -> None:
        self._t.request("DELETE", path("agents", agent_id))

    def rotate_webhook_secret(self, agent_id: str) -> Dict[str, Any]:
        """A new inbound trigger secret, shown once; the old one stops working at once."""
        return self._t.request("POST", path("agents", agent_id, "webhook-secret", "rotate"))

    def runs(self, agent_id: str, **params: Any) -> Dict[str, Any]:
        """One page of this agent's runs (filters as ``runs.list``)."""
        return self._t.request("GET", path("agents", agent_id, "runs"), params=params)

    def iterate_runs(self, agent_id: str, **params: Any) -> Iterator[Dict[str, Any]]:
        return self._walk(path("agents", agent_id, "runs"), params)

    def logs(self, agent_id: str, limit: Optional[int] = None) -> Dict[str, Any]:
        """The agent's most recent log lines, newest first."""
        return self._t.request("GET", path("agents", agent_id, "logs"), params=fields(limit=limit))

    def schedules(self, agent_id: str, **params: Any) -> Dict[str, Any]:
        return self._t.request("GET", path("agents", agent_id, "schedules"), params=params)

    def reload(self) -> Dict[str, Any]:
        """Reload the AGENT.md files and report what changed."""
        return self._t.request("POST", path("agents", "reload"))

    def trigger(
        self,
        crew_id: str,
        agent_id: str,
        payload: Any,
        webhook_secret: str,
        *,
        name: str = "trigger",
        idempotency_key: Optional[str] = None,
        timestamp: bool = True,
    ) -> Dict[str, Any]:
        """Start a run through the agent's signed trigger URL, as an outside system would.

        ``name`` picks a named webhook trigger of the ``hookline`` scheme instead of the
        agent's own URL (``/api/v1/webhooks/{crew}/{agent}/{name}``); pass its secret.

        Signs with ``X-Signature`` (hex HMAC-SHA256 keyed by ``webhook_secret``); with
        ``timestamp`` (default) it also sends ``X-Timestamp`` and signs ``"{ts}.{body}"``, so
        the request cannot be replayed later. No API key is sent. Answers
        ``{"status": "accepted", "run_id", "run"}``.
        """
        if not webhook_secret:
            raise ValueError("webhook_secret is required: the agent's hltr_… secret from create or rotate_webhook_secret")
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        signed = body
        if timestamp:
            ts = str(int(time.time()))
            headers["X-Timestamp"] = ts
            signed = ts.encode() + b"." + body
        headers["X-Signature"] = hmac.new(webhook_secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return self._t.request(
            "POST",
            path("webhooks", crew_id, agent_id, name),
            raw_body=body,
            headers=headers,
            auth=False,
            idempotent=bool(idempotency_key),
        )


class Runs(ListResource):
    """Runs: ``list(agent_id=, crew_id=, trigger_type=, trigger_id=, status=, since=, until=)``."""

    _route = path("runs")

    def get(self, run_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("runs", run_id))

    def create(self, agent_id: str, prompt: Optional[str] = None, wait: bool = False, wait_seconds: Optional[int] = None) -> Dict[str, Any]:
        """Start a run by hand.

        With ``wait=True`` the server answers when the run has ended, or after ``wait_seconds``
        (1–900, server default 60) with the run still ``queued``/``running``: check ``status``.
        """
        params = fields(wait=True, wait_seconds=wait_seconds) if wait else None
        # The HTTP call must outlast the server's wait.
        timeout = max(self._t.timeout, (wait_seconds or 60) + 15) if wait else None
        return self._t.request("POST", path("agents", agent_id, "runs"), params=params, body=fields(prompt=prompt), timeout=timeout)

    def cancel(self, run_id: str) -> Dict[str, Any]:
        """Cancel a queued or running run."""
        return self._t.request("POST", path("runs", run_id, "cancel"))

    def logs(self, run_id: str, after_seq: Optional[int] = None, limit: Optional[int] = None) -> Dict[str, Any]:
        """``{"items": [...], "run_status"}``: log lines oldest first; pass the last ``seq`` as ``after_seq`` to follow."""
        return self._t.request("GET", path("runs", run_id, "logs"), params=fields(after_seq=after_seq, limit=limit))

    def report(self, agent_id: str, status: str, **extra: Any) -> Dict[str, Any]:
        """Report a run executed elsewhere (``output``, ``error``, ``prompt``, ``started_at``,
        ``finished_at``, ``usage``, ``external_id``); it notifies like a local run."""
        for key in ("started_at", "finished_at"):
            if key in extra:
                extra[key] = time_value(extra[key])
        body = {"agent_id": agent_id, "status": status, **extra}
        return self._t.request("POST", path("runs", "report"), body=body, idempotent="external_id" in extra)


class Schedules(ListResource):
    """Cron schedules: ``list(agent_id=…)``."""

    _route = path("schedules")

    def get(self, schedule_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("schedules", schedule_id))

    def create(self, agent_id: str, name: str, cron: str, **extra: Any) -> Dict[str, Any]:
        """``extra``: ``timezone``, ``prompt``, ``enabled``, ``misfire_grace_seconds``."""
        return self._t.request("POST", path("schedules"), body={"agent_id": agent_id, "name": name, "cron": cron, **extra})

    def update(self, schedule_id: str, **changes: Any) -> Dict[str, Any]:
        return self._t.request("PATCH", path("schedules", schedule_id), body=changes)

    def delete(self, schedule_id: str) -> None:
        self._t.request("DELETE", path("schedules", schedule_id))

    def run(self, schedule_id: str) -> Dict[str, Any]:
        """Run the schedule's prompt now (409 while its previous run is still going)."""
        return self._t.request("POST", path("schedules", schedule_id, "run"))


class WebhookTriggers(ListResource):
    """Named webhook triggers: ``list(agent_id=…)``."""

    _route = path("webhook-triggers")

    def get(self, trigger_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("webhook-triggers", trigger_id))

    def create(self, agent_id: str, name: str, **extra: Any) -> Dict[str, Any]:
        """``extra``: ``scheme`` (hookline, github, standard, grafana), ``secret``,
        ``prompt_template``, ``enabled``. The answer's ``secret`` is shown only here."""
        return self._t.request("POST", path("agents", agent_id, "webhook-triggers"), body={"name": name, **extra})

    def update(self, trigger_id: str, **changes: Any) -> Dict[str, Any]:
        return self._t.request("PATCH", path("webhook-triggers", trigger_id), body=changes)

    def delete(self, trigger_id: str) -> None:
        self._t.request("DELETE", path("webhook-triggers", trigger_id))

    def rotate_secret(self, trigger_id: str, secret: Optional[str] = None) -> Dict[str, Any]:
        """A new secret (yours, or generated), shown once; the old one stops working at once."""
        return self._t.request("POST", path("webhook-triggers", trigger_id, "rotate-secret"), body=fields(secret=secret))


class Callbacks(Resource):
    """An agent's callback URL (docs/callbacks.md): ``/api/v1/agents/{id}/callback``."""

    def get(self, agent_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("agents", agent_id, "callback"))

    def set(self, agent_id: str, url: str, headers: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
        """Set URL and headers (replacing all headers). ``secret`` is in the answer the first time only."""
        body: Dict[str, Any] = {"url": url}
        if headers is not None:
            body["headers"] = dict(headers)
        return self._t.request("PUT", path("agents", agent_id, "callback"), body=body)

    def delete(self, agent_id: str) -> None:
        self._t.request("DELETE", path("agents", agent_id, "callback"))

    def rotate_secret(self, agent_id: str) -> Dict[str, Any]:
        """``{"secret": "hlcb_…"}``, shown once; there is no grace period."""
        return self._t.request("POST", path("agents", agent_id, "callback", "rotate-secret"))
