"""Shared setup of the integration tests: a client for a running Hookline and a receiver.

They run when HOOKLINE_URL and HOOKLINE_API_KEY are set (with an admin key, and with
127.0.0.1 in the server's delivery.allow_networks). `npx vitest run packages/sdk-python`
starts such a Hookline and runs them; on their own they are skipped.
"""

from __future__ import annotations

import os
import sys
import unittest
import uuid

import _support  # noqa: F401  (puts this checkout's hookline on sys.path)
from _receiver import Receiver, until
from hookline import Hookline

URL = os.environ.get("HOOKLINE_URL")
KEY = os.environ.get("HOOKLINE_API_KEY")
ENABLED = bool(URL and KEY)
SKIP_REASON = "integration tests need HOOKLINE_URL and HOOKLINE_API_KEY (npx vitest run packages/sdk-python sets them)"

# A real agent for the command runner: the prompt arrives on stdin, stdout is the output.
ECHO = [sys.executable, "-c", "import sys; print('echo: ' + sys.stdin.read().strip())"]
HOLD = [sys.executable, "-c", "import sys, time; sys.stdin.read(); print('holding', flush=True); time.sleep(120)"]


def uid() -> str:
    return uuid.uuid4().hex[:10]


@unittest.skipUnless(ENABLED, SKIP_REASON)
class IntegrationCase(unittest.TestCase):
    client: Hookline
    receiver: Receiver

    @classmethod
    def setUpClass(cls) -> None:
        cls.client = Hookline(api_key=KEY, base_url=URL, timeout=30)
        cls.receiver = Receiver()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.receiver.close()

    def make_agent(self, command=None, **extra):
        """A fresh crew and agent run by a local program; returns (crew, agent with webhook_secret)."""
        crew = self.client.crews.create(name=f"SDK crew {uid()}", id=f"sdk-{uid()}")
        program = command or ECHO
        agent = self.client.agents.create(
            crew_id=crew.id,
            name=f"SDK agent {uid()}",
            runner="command",
            runner_config={"command": program[0], "args": program[1:]},
            id=f"sdk-{uid()}",
            **extra,
        )
        return crew, agent

    def endpoint(self, scheme: str = "standard", **extra):
        """An endpoint on its own receiver path and its own event namespace; returns (endpoint, path, type prefix)."""
        tag = uid()
        path = f"/hook-{tag}"
        ep = self.client.webhook_endpoints.create(
            url=self.receiver.url + path,
            events=[f"sdk{tag}.*"],
            description=f"python sdk test {scheme}",
            signing_scheme=scheme,
            **extra,
        )
        self.addCleanup(self._delete_endpoint, ep.id)
        return ep, path, f"sdk{tag}"

    def _delete_endpoint(self, endpoint_id: str) -> None:
        try:
            self.client.webhook_endpoints.delete(endpoint_id)
        except Exception:
            pass

    def run_ended(self, run_id: str, timeout: float = 30):
        return until(f"run {run_id} to end", lambda: (lambda r: r if r.status not in ("queued", "running") else None)(self.client.runs.get(run_id)), timeout)


__all__ = ["ECHO", "ENABLED", "HOLD", "KEY", "URL", "IntegrationCase", "SKIP_REASON", "uid", "until"]
