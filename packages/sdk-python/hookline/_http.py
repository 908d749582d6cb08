"""HTTP transport: one JSON request, its errors, and retries with backoff."""

from __future__ import annotations

import email.utils
import http.client
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Mapping, Optional

from ._object import object_hook
from ._version import __version__
from .errors import HooklineApiError, HooklineConnectionError, HooklineTimeoutError

DEFAULT_BASE_URL = "http://127.0.0.1:8787"
USER_AGENT = f"hookline-python/{__version__}"

# Methods whose repetition changes nothing; only these are retried automatically.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 8.0
# A server asking for a longer pause than this gets its error instead of a blocked caller.
RETRY_AFTER_MAX_SECONDS = 60.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would re-send the Authorization header to wherever a redirect points. The API
    # never redirects, so a 3xx is surfaced as an error instead of followed.
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        return None


def _encode_query(params: Optional[Mapping[str, Any]]) -> str:
    if not params:
        return ""
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        pairs.append((key, str(value)))
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def _retry_after_seconds(value: Optional[str], now: float) -> Optional[float]:
    """Retry-After as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


def _api_error(status: int, raw: bytes, headers: Mapping[str, str], reason: str) -> HooklineApiError:
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        body = None
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict) and isinstance(err.get("code"), str):
        return HooklineApiError(status, err["code"], str(err.get("message", "")), err.get("details"), headers)
    # Not Hookline's error shape: a proxy, a load balancer, or a redirect we refused to follow.
    if 300 <= status < 400:
        where = headers.get("location") or "elsewhere"
        return HooklineApiError(status, "redirect", f"the server redirected to {where}; set base_url to the address Hookline answers on", None, headers)
    snippet = raw[:200].decode("utf-8", "replace").strip()
    message = f"HTTP {status} {reason}".strip() + (f": {snippet}" if snippet else "")
    return HooklineApiError(status, "http_error", message, None, headers)


class Transport:
    """Sends requests to one Hookline. Shared by every resource of a client."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        timeout: float,
        max_retries: int,
        sleep: Callable[[float], None] = time.sleep,
        org: Optional[str] = None,
        env: Optional[str] = None,
    ) -> None:
        self.base_url = base_url
        self._api_key = api_key
        # The tenant every authenticated request acts in (docs/tenants.md); None: the key's own.
        self.org = org
        self.env = env
        self.timeout = timeout
        self.max_retries = max_retries
        self._sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirect)

    def __repr__(self) -> str:  # never the key
        return f"Transport(base_url={self.base_url!r})"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        idempotent: Optional[bool] = None,
        timeout: Optional[float] = None,
        raw_body: Optional[bytes] = None,
        headers: Optional[Mapping[str, str]] = None,
        auth: bool = True,
    ) -> Any:
        """One API call; returns the parsed JSON (dicts as HooklineObject) or None for 204.

        ``raw_body`` is sent as is (for signed requests); otherwise ``body`` is sent as JSON.
        ``auth=False`` leaves the API key out (public routes such as agent trigger URLs).
        """
        method = method.upper()
        url = self.base_url + path + _encode_query(params)
        data = raw_body
        sent_headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if auth:
            sent_headers["Authorization"] = f"Bearer {self._api_key}"
            if self.org:
                sent_headers["Hookline-Org"] = self.org
            if self.env:
                sent_headers["Hookline-Env"] = self.env
        sent_headers.update(headers or {})
        if raw_body is None and (body is not None or method in ("POST", "PUT", "PATCH")):
            # Action routes (cancel, retry, enable…) take an empty JSON object.
            data = json.dumps({} if body is None else body, separators=(",", ":")).encode("utf-8")
            sent_headers["Content-Type"] = "application/json"
        retryable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        attempts = 1 + (max(0, self.max_retries) if retryable else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                return self._send(method, url, data, sent_headers, timeout or self.timeout)
            except HooklineApiError as e:
                if last or e.status not in RETRY_STATUSES:
                    raise
                wait = _retry_after_seconds(e.headers.get("retry-after"), time.time())
                if wait is not None and wait > RETRY_AFTER_MAX_SECONDS:
                    raise
                self._backoff(attempt, wait)
            except HooklineConnectionError:
                if last:
                    raise
                self._backoff(attempt, None)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, retry_after: Optional[float]) -> None:
        if retry_after is not None:
            self._sleep(retry_after)
            return
        delay = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * (2**attempt))
        # Full jitter keeps many clients from retrying in lockstep.
        self._sleep(random.uniform(delay / 2, delay))

    def _send(self, method: str, url: str, data: Optional[bytes], headers: Mapping[str, str], timeout: float) -> Any:
        req = urllib.request.Request(url, data=data, headers=dict(headers), method=method)
        try:
            with self._opener.open(req, timeout=timeout) as res:
                raw = res.read()
                status = res.status
        except urllib.error.HTTPError as e:
            try:
                raw = e.read()
            except (OSError, http.client.HTTPException):
                raw = b""
            finally:
                e.close()
            lower = {k.lower(): v for k, v in (e.headers or {}).items()}
            raise _api_error(e.code, raw, lower, e.reason if isinstance(e.reason, str) else "") from None
        except urllib.error.URLError as e:
            if isinstance(e.reason, (socket.timeout, TimeoutError)):
                raise HooklineTimeoutError(f"{method} {url}: no answer within {timeout} s") from None
            raise HooklineConnectionError(f"{method} {url}: {e.reason}") from None
        except (socket.timeout, TimeoutError):
            raise HooklineTimeoutError(f"{method} {url}: no complete answer within {timeout} s") from None
        except (OSError, http.client.HTTPException) as e:
            raise HooklineConnectionError(f"{method} {url}: {type(e).__name__}: {e}") from None
        if status == 204 or not raw:
            return None
        try:
            return json.loads(raw.decode("utf-8"), object_hook=object_hook)
        except (UnicodeDecodeError, ValueError):
            raise HooklineApiError(status, "invalid_response", f"{method} {url} answered {status} with a body that is not JSON") from None
