"""The exceptions the client raises. Catch ``HooklineError`` to catch them all."""

from __future__ import annotations

from typing import Any, Mapping, Optional


class HooklineError(Exception):
    """Base class of every error this package raises (except ``ValueError`` for bad arguments)."""


class HooklineApiError(HooklineError):
    """Hookline answered with an error status.

    ``code`` is Hookline's stable, machine-readable ``error.code`` (branch on it);
    ``message`` is the human sentence saying what was wrong and how to fix it;
    ``details`` is the validation detail list when the server sent one.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = dict(headers or {})


class HooklineConnectionError(HooklineError):
    """The request did not get an HTTP answer: refused, reset, DNS failure, TLS failure."""


class HooklineTimeoutError(HooklineConnectionError):
    """No complete answer within the client's ``timeout``. A subclass of ``HooklineConnectionError``."""
