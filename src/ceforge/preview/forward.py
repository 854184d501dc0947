"""``ceforge preview --lrs URL``: every statement the preview's LRS stores goes to a real LRS too.

Credentials come from ``CEFORGE_LRS_USERNAME`` and ``CEFORGE_LRS_PASSWORD``, as for
``ceforge statements --send`` (``ceforge.xapi.delivery``), and never appear in what the preview
shows. Statements are sent in order, in batches, from a thread of their own, so that a slow or
unreachable LRS never holds up the course; each statement's delivery (``sent``, or the reason
it was not) is kept for the inspector.
"""

from __future__ import annotations

import json
import queue
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from ceforge.xapi.delivery import BATCH, basic_auth, checked_endpoint
from ceforge.xapispec import XAPI_VERSION


class Forwarder:
    def __init__(
        self,
        endpoint: str,
        username: str,
        password: str,
        on_result: Callable[[], None] | None = None,
    ) -> None:
        self.endpoint = checked_endpoint(endpoint)
        self._auth = basic_auth(username, password)
        self._secrets = tuple(s for s in (password, self._auth, self._auth.split()[1]) if s)
        self.results: dict[str, str] = {}
        self.on_result = on_result
        self._queue: queue.Queue[list[dict[str, Any]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="ceforge preview forward",
                                        daemon=True)
        self._thread.start()

    def submit(self, statements: list[dict[str, Any]]) -> None:
        if statements:
            for statement in statements:
                self.results[str(statement["id"])] = "pending"
            self._queue.put(statements)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            for start in range(0, len(batch), BATCH):
                part = batch[start : start + BATCH]
                outcome = self._post(part)
                for statement in part:
                    self.results[str(statement["id"])] = outcome
            if self.on_result is not None:
                self.on_result()

    def _post(self, statements: list[dict[str, Any]]) -> str:
        # What the preview's LRS added (stored, authority) is the real LRS's to set.
        body = [{k: v for k, v in s.items() if k not in ("stored", "authority")}
                for s in statements]
        request = urllib.request.Request(
            self.endpoint + "statements", data=json.dumps(body).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json", "Authorization": self._auth,
                     "X-Experience-API-Version": XAPI_VERSION},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return "sent" if 200 <= answer.status < 300 else f"HTTP {answer.status}"
        except urllib.error.HTTPError as error:
            if error.code == 409:
                return "sent"  # the LRS holds them already
            detail = error.read().decode("utf-8", "replace")[:200]
            return self._clean(f"refused: HTTP {error.code} {detail}".strip())
        except OSError as error:
            return self._clean(f"unreachable: {error}")

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text
