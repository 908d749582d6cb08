"""API keys, customer-portal links, and post-actions with their bindings."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional

from .._http import Transport
from ._base import ListResource, Resource, fields, path


class Keys(Resource):
    """API keys: ``/api/v1/keys``."""

    def list(self) -> Dict[str, Any]:
        """``{"items": [...]}``: every key's metadata, never the key itself (not paginated)."""
        return self._t.request("GET", path("keys"))

    def iterate(self) -> Iterator[Dict[str, Any]]:
        return self._walk(path("keys"), {})

    def create(self, name: str, role: Optional[str] = None, org_id: Optional[str] = None, env_id: Optional[str] = None) -> Dict[str, Any]:
        """``role``: ``admin`` (default) or ``read``. ``org_id`` (and ``env_id``) limit the key to that
        org (or one of its environments). The answer's ``key`` is shown only here."""
        return self._t.request("POST", path("keys"), body=fields(name=name, role=role, org_id=org_id, env_id=env_id))

    def revoke(self, key_id: str) -> None:
        """Revoke a key; it stops working at once."""
        self._t.request("DELETE", path("keys", key_id))

    delete = revoke


class Portal(Resource):
    """The customer portal (docs/portal.md): ``/api/v1/portal/sessions``."""

    def create_session(
        self,
        org_id: str,
        env_id: str,
        event_types: Optional[List[str]] = None,
        read_only: Optional[bool] = None,
        ttl: Optional[str] = None,
    ) -> Dict[str, Any]:
        """A short-lived link showing one tenant's endpoints: ``{"url", "token", "expires_at"}``.

        Give ``url`` to the customer or put it in an iframe; ``ttl`` is a duration up to ``24h``.
        """
        body = fields(org_id=org_id, env_id=env_id, event_types=event_types, read_only=read_only, ttl=ttl)
        return self._t.request("POST", path("portal", "sessions"), body=body)


class Bindings(Resource):
    """A post-action's bindings to triggers: ``/api/v1/post-actions/{id}/bindings``."""

    def list(self, post_action_id: str, **params: Any) -> Dict[str, Any]:
        return self._t.request("GET", path("post-actions", post_action_id, "bindings"), params=params)

    def iterate(self, post_action_id: str, **params: Any) -> Iterator[Dict[str, Any]]:
        return self._walk(path("post-actions", post_action_id, "bindings"), params)

    def get(self, post_action_id: str, binding_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("post-actions", post_action_id, "bindings", binding_id))

    def create(self, post_action_id: str, trigger_type: str, trigger_id: str, **extra: Any) -> Dict[str, Any]:
        """``trigger_type``: ``webhook`` (a named trigger ``wht_…`` or an agent id) or ``schedule``.
        ``extra``: ``fire_when`` (any, success, failure), ``body_override``, ``enabled``."""
        body = {"trigger_type": trigger_type, "trigger_id": trigger_id, **extra}
        return self._t.request("POST", path("post-actions", post_action_id, "bindings"), body=body)

    def update(self, post_action_id: str, binding_id: str, **changes: Any) -> Dict[str, Any]:
        return self._t.request("PATCH", path("post-actions", post_action_id, "bindings", binding_id), body=changes)

    def delete(self, post_action_id: str, binding_id: str) -> None:
        self._t.request("DELETE", path("post-actions", post_action_id, "bindings", binding_id))

    def of_trigger(self, trigger_type: str, trigger_id: str, **params: Any) -> Dict[str, Any]:
        """A trigger's bindings, each with its ``post_action``."""
        return self._t.request("GET", path("triggers", trigger_type, trigger_id, "post-actions"), params=params)


class PostActions(ListResource):
    """Reusable HTTP request templates (docs/post-actions.md): ``/api/v1/post-actions``."""

    _route = path("post-actions")

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport)
        self.bindings = Bindings(transport)

    def get(self, post_action_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("post-actions", post_action_id))

    def create(self, name: str, method: str, url: str, **extra: Any) -> Dict[str, Any]:
        """``extra``: ``headers``, ``body_template``, ``auth``, ``timeout_seconds``, ``retry_count``, ``enabled``."""
        return self._t.request("POST", path("post-actions"), body={"name": name, "method": method, "url": url, **extra})

    def update(self, post_action_id: str, **changes: Any) -> Dict[str, Any]:
        return self._t.request("PATCH", path("post-actions", post_action_id), body=changes)

    def delete(self, post_action_id: str) -> None:
        """Delete the post-action and its bindings."""
        self._t.request("DELETE", path("post-actions", post_action_id))

    def runs(self, post_action_id: str, **params: Any) -> Dict[str, Any]:
        """Its run history: every time it fired, newest first."""
        return self._t.request("GET", path("post-actions", post_action_id, "runs"), params=params)

    def iterate_runs(self, post_action_id: str, **params: Any) -> Iterator[Dict[str, Any]]:
        return self._walk(path("post-actions", post_action_id, "runs"), params)

    def preview(self, **template: Any) -> Dict[str, Any]:
        """Render URL, header and body templates without sending anything (read-only keys may call it)."""
        return self._t.request("POST", path("post-actions", "preview"), body=template)
