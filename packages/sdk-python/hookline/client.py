from __future__ import annotations

import os
from typing import Any, Mapping, Optional

from ._http import DEFAULT_BASE_URL, Transport
from .resources import (
    Agents,
    Callbacks,
    Crews,
    Deliveries,
    Events,
    Keys,
    Notifications,
    Orgs,
    Portal,
    PostActions,
    Runs,
    Schedules,
    WebhookEndpoints,
    WebhookTriggers,
)


def _normalise_base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must start with http:// or https://; got {url!r}")
    # Accept the API root too: http://host:8787/api/v1 means http://host:8787.
    if url.endswith("/api/v1"):
        url = url[: -len("/api/v1")]
    return url


class Hookline:
    """A client for one Hookline server.

    ``api_key`` defaults to ``$HOOKLINE_API_KEY`` and ``base_url`` to ``$HOOKLINE_URL``, else
    ``http://127.0.0.1:8787``. ``timeout`` is seconds per HTTP attempt. ``max_retries`` is how
    many times an idempotent request (GET, PUT, DELETE, …) is retried after a 429, 502, 503,
    504 or a connection error, with exponential backoff (or the server's ``Retry-After``).

    ``org`` and ``env`` name the tenant every call acts in, sent as ``Hookline-Org`` and
    ``Hookline-Env`` (defaults ``$HOOKLINE_ORG`` and ``$HOOKLINE_ENV``; without them, the key's
    own tenant). ``with_tenant`` gives a client for another tenant on the same settings.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: float = 30,
        max_retries: int = 2,
        org: Optional[str] = None,
        env: Optional[str] = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("HOOKLINE_API_KEY")
        if not key:
            raise ValueError("no API key: pass Hookline(api_key='hl_sk_…') or set HOOKLINE_API_KEY")
        if timeout is None or timeout <= 0:
            raise ValueError("timeout must be a positive number of seconds")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        url = _normalise_base_url(base_url or os.environ.get("HOOKLINE_URL") or DEFAULT_BASE_URL)
        # "" names no tenant and, unlike None, keeps the environment variable out.
        org = (os.environ.get("HOOKLINE_ORG") if org is None else org) or None
        env = (os.environ.get("HOOKLINE_ENV") if env is None else env) or None
        self._transport = Transport(url, key, float(timeout), int(max_retries), org=org, env=env)

        self.crews = Crews(self._transport)
        self.agents = Agents(self._transport)
        self.runs = Runs(self._transport)
        self.schedules = Schedules(self._transport)
        self.webhook_triggers = WebhookTriggers(self._transport)
        self.callbacks = Callbacks(self._transport)
        self.webhook_endpoints = WebhookEndpoints(self._transport)
        self.events = Events(self._transport)
        self.deliveries = Deliveries(self._transport)
        self.notifications = Notifications(self._transport)
        self.post_actions = PostActions(self._transport)
        self.keys = Keys(self._transport)
        self.portal = Portal(self._transport)
        self.orgs = Orgs(self._transport)

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def org(self) -> Optional[str]:
        return self._transport.org

    @property
    def env(self) -> Optional[str]:
        return self._transport.env

    def with_tenant(self, org: Optional[str] = None, env: Optional[str] = None) -> "Hookline":
        """A client acting in another tenant, with this one's key, server, timeout and retries.
        It names exactly the tenant given: ``with_tenant(env=…)`` sends no org, ``with_tenant()`` none."""
        t = self._transport
        client = Hookline(api_key=t._api_key, base_url=t.base_url, timeout=t.timeout, max_retries=t.max_retries, org=org or "", env=env or "")
        client._transport._sleep = t._sleep
        return client

    def __repr__(self) -> str:  # never the key
        tenant = "".join(f", {k}={v!r}" for k, v in (("org", self.org), ("env", self.env)) if v)
        return f"Hookline(base_url={self.base_url!r}{tenant})"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: Any = None,
    ) -> Any:
        """Any API route not wrapped here, e.g. ``client.request("GET", "/api/v1/settings")``."""
        if not path.startswith("/"):
            raise ValueError("path must start with /, e.g. /api/v1/settings")
        return self._transport.request(method, path, params=params, body=body)
