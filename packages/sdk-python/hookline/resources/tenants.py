"""Orgs (tenants) and their environments."""

from __future__ import annotations

from typing import Any, Dict, Optional

from .._http import Transport
from ._base import Resource, fields, path


def _confirm(entity_id: str, confirm: bool) -> Optional[Dict[str, str]]:
    # The server wants the id itself as the confirmation, so a wrong id cannot erase anything.
    return {"confirm": entity_id} if confirm else None


class Environments(Resource):
    """An org's environments: ``/api/v1/orgs/{org_id}/envs``."""

    def list(self, org_id: str) -> Dict[str, Any]:
        """``{"items": [...]}``: every environment of the org (not paginated)."""
        return self._t.request("GET", path("orgs", org_id, "envs"))

    def get(self, org_id: str, env_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("orgs", org_id, "envs", env_id))

    def create(self, org_id: str, name: str) -> Dict[str, Any]:
        return self._t.request("POST", path("orgs", org_id, "envs"), body={"name": name})

    def delete(self, org_id: str, env_id: str, confirm: bool = False) -> None:
        """Erase the environment and everything in it. One that holds data needs ``confirm=True``
        (else 409 ``confirmation_required``); the default environment cannot go."""
        self._t.request("DELETE", path("orgs", org_id, "envs", env_id), params=_confirm(env_id, confirm))


class Orgs(Resource):
    """Orgs and their environments (docs/tenants.md): ``/api/v1/orgs``. A key limited to an org sees only its own."""

    def __init__(self, transport: Transport) -> None:
        super().__init__(transport)
        self.envs = Environments(transport)

    def list(self) -> Dict[str, Any]:
        """``{"items": [...]}``: the orgs this key can see (not paginated)."""
        return self._t.request("GET", path("orgs"))

    def get(self, org_id: str) -> Dict[str, Any]:
        return self._t.request("GET", path("orgs", org_id))

    def create(self, name: str, env_name: Optional[str] = None, settings: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Installation keys only. The answer's ``envs`` holds its first environment (``env_name``, default ``production``)."""
        return self._t.request("POST", path("orgs"), body=fields(name=name, env_name=env_name, settings=settings))

    def update(self, org_id: str, name: Optional[str] = None, settings: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Rename it, or replace its ``settings`` (retention, quotas, portal_origins, brand)."""
        return self._t.request("PATCH", path("orgs", org_id), body=fields(name=name, settings=settings))

    def delete(self, org_id: str, confirm: bool = False) -> None:
        """Installation keys only. Erase the org and everything in it; one that holds data needs ``confirm=True``."""
        self._t.request("DELETE", path("orgs", org_id), params=_confirm(org_id, confirm))
