from __future__ import annotations

import datetime as _dt
import urllib.parse
from typing import Any, Dict, Iterator, Mapping

from .._http import Transport

DEFAULT_PAGE_SIZE = 100


def path(*parts: Any) -> str:
    """/api/v1/… with every id percent-encoded, so an id can never change the route."""
    return "/api/v1/" + "/".join(urllib.parse.quote(str(p), safe="") for p in parts)


def fields(**values: Any) -> Dict[str, Any]:
    """The keyword arguments that were given (None means "leave out")."""
    return {k: v for k, v in values.items() if v is not None}


def time_value(value: Any) -> Any:
    """A datetime as ISO-8601 (naive ones are taken as UTC); anything else as given."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.isoformat()
    return value


class Resource:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def _walk(self, route: str, params: Mapping[str, Any]) -> Iterator[Any]:
        """Every item of an offset-paginated list, page by page, from `offset` on."""
        query = dict(params)
        offset = int(query.pop("offset", None) or 0)
        limit = int(query.pop("limit", None) or DEFAULT_PAGE_SIZE)
        while True:
            page = self._t.request("GET", route, params={**query, "limit": limit, "offset": offset})
            items = page.get("items") or []
            yield from items
            total = page.get("total")
            offset += len(items)
            # Lists without `total` (crews, keys) come whole in one answer.
            if total is None or not items or offset >= total:
                return


class ListResource(Resource):
    """A resource whose list route takes limit/offset and answers {items,total,limit,offset}."""

    _route: str = ""

    def list(self, **params: Any) -> Dict[str, Any]:
        """One page: ``{"items": [...], "total", "limit", "offset"}``. Filters as keyword arguments."""
        return self._t.request("GET", self._route, params=params)

    def iterate(self, **params: Any) -> Iterator[Dict[str, Any]]:
        """Every item across all pages (``limit`` sets the page size, default 100)."""
        return self._walk(self._route, params)

