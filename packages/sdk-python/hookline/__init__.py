"""Hookline's Python SDK: the API client and webhook signature verification.

    from hookline import Hookline, verify_webhook

Standard library only; Python 3.9+.
"""

from ._object import HooklineObject
from ._version import __version__
from .client import Hookline
from .errors import HooklineApiError, HooklineConnectionError, HooklineError, HooklineTimeoutError
from .webhooks import SCHEMES, WebhookVerificationError, detect_scheme, verify_webhook

__all__ = [
    "Hookline",
    "HooklineApiError",
    "HooklineConnectionError",
    "HooklineError",
    "HooklineObject",
    "HooklineTimeoutError",
    "SCHEMES",
    "WebhookVerificationError",
    "__version__",
    "detect_scheme",
    "verify_webhook",
]
