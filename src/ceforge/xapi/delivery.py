"""Sending statements to an LRS, and reading completions back, with ``tincan.RemoteLRS``.

Credentials come from the environment only (``CEFORGE_LRS_USERNAME``,
``CEFORGE_LRS_PASSWORD``), never from arguments (they would land in shell history) and never
from the endpoint; no message ever repeats them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tincan import RemoteLRS, StatementList

from ceforge.xapi.credentials import url_problem
from ceforge.xapi.statements import statement_json
from ceforge.xapispec import XAPI_VERSION

USERNAME_VARIABLE = "CEFORGE_LRS_USERNAME"
PASSWORD_VARIABLE = "CEFORGE_LRS_PASSWORD"
BATCH = 50  # statements per POST, as the runtime batches them
PAGE = 100  # statements asked for per GET; the LRS's "more" link gives the next ones


class LRSError(Exception):
    """The statements could not be delivered; the message never holds a credential."""


class _Exact(StatementList):  # type: ignore[misc]
    """Statements that ``RemoteLRS.save_statements`` sends in ceforge's wire format, exactly
    as ``ceforge statements`` prints them."""

    def as_version(self, version: str = XAPI_VERSION) -> list[dict[str, Any]]:
        return [statement_json(statement) for statement in self]


def credentials_from(environ: Mapping[str, str]) -> tuple[str, str]:
    username = environ.get(USERNAME_VARIABLE, "")
    password = environ.get(PASSWORD_VARIABLE, "")
    missing = [n for n, val in ((USERNAME_VARIABLE, username), (PASSWORD_VARIABLE, password))
               if not val]
    if missing:
        raise LRSError(
            f"set {' and '.join(missing)} in the environment to the LRS's basic-auth "
            "credentials (they are never taken from the command line)"
        )
    return username, password


def checked_endpoint(endpoint: str) -> str:
    """The statements endpoint's base (``…/xapi/``), refused when it holds credentials."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LRSError("the endpoint must be an http(s) address, such as https://lrs.example.org/xapi/")
    problem = url_problem(endpoint)
    if problem:
        raise LRSError(
            f"the endpoint {problem}; give the address alone and the credentials in "
            f"{USERNAME_VARIABLE} and {PASSWORD_VARIABLE}"
        )
    return endpoint if endpoint.endswith("/") else endpoint + "/"


def basic_auth(username: str, password: str) -> str:
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


@dataclass
class Delivery:
    """What the LRS acknowledged: the ids it stored, and how many it already held."""

    ids: list[str] = field(default_factory=list)
    already_stored: int = 0


def send(endpoint: str, statements: Sequence[Any], username: str, password: str) -> Delivery:
    """POST ``statements`` in batches of ``BATCH``; what the LRS acknowledged."""
    endpoint = checked_endpoint(endpoint)
    auth = basic_auth(username, password)
    lrs = RemoteLRS(endpoint=endpoint, auth=auth, version=XAPI_VERSION)
    delivery = Delivery()
    for start in range(0, len(statements), BATCH):
        batch = _Exact(list(statements[start : start + BATCH]))
        try:
            response = lrs.save_statements(batch)
        except OSError as exc:
            raise LRSError(f"cannot reach the LRS at {endpoint}: {exc}") from None
        except json.JSONDecodeError:
            # A 2xx answer without the list of ids (204): the LRS held every statement already,
            # which ids make harmless (a statement id is stored once).
            delivery.ids.extend(str(statement.id) for statement in batch)
            delivery.already_stored += len(batch)
            continue
        if not response.success:
            raise LRSError(_refusal(endpoint, response, (password, auth, auth.split()[1])))
        delivery.ids.extend(json.loads(response.data))
    return delivery


def _refusal(
    endpoint: str, response: Any, secrets: tuple[str, ...], what: str = "the statements"
) -> str:
    status = response.response.status
    if status in (401, 403):
        return (
            f"the LRS at {endpoint} refused the credentials (HTTP {status}): check "
            f"{USERNAME_VARIABLE} and {PASSWORD_VARIABLE}"
        )
    data = response.data or ""
    body = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    for secret in (s for s in secrets if s):
        body = body.replace(secret, "***")
    detail = f": {body[:300]}" if body.strip() else ""
    return f"the LRS at {endpoint} refused {what} (HTTP {status}){detail}"


def completed_statements(endpoint: str, username: str, password: str) -> list[dict[str, Any]]:
    """Every ``completed`` statement the LRS holds, as JSON, following its ``more`` links: the
    provider's records of completions (``ceforge certificate`` looks a code up in them).

    The statements are read whole and the verb picked here: an LRS may not filter by ``verb``
    as the xAPI asks (Ralph's answers nothing to it), and a record missed is a certificate
    wrongly refused."""
    from ceforge.xapi.vocabulary import ADL_VERBS

    completed = ADL_VERBS + "completed"
    endpoint = checked_endpoint(endpoint)
    auth = basic_auth(username, password)
    secrets = (password, auth, auth.split()[1])
    lrs = RemoteLRS(endpoint=endpoint, auth=auth, version=XAPI_VERSION)
    found: list[dict[str, Any]] = []
    more: str | None = None
    seen: set[str] = set()
    while True:
        try:
            if more is None:
                response = lrs.query_statements({"limit": PAGE})
            else:
                response = lrs.more_statements(more)
        except OSError as exc:
            raise LRSError(f"cannot reach the LRS at {endpoint}: {exc}") from None
        except (ValueError, TypeError, KeyError, AttributeError):
            raise LRSError(f"the LRS at {endpoint} answered with something that is not a "
                           "statement result") from None
        if not response.success:
            raise LRSError(_refusal(endpoint, response, secrets, "the query"))
        try:
            page = json.loads(response.data)
            statements = page["statements"]
            if not isinstance(statements, list):
                raise TypeError
        except (ValueError, TypeError, KeyError):
            raise LRSError(f"the LRS at {endpoint} answered with something that is not a "
                           "statement result") from None
        found += [s for s in statements if isinstance(s, dict)
                  and isinstance(s.get("verb"), dict) and s["verb"].get("id") == completed]
        more = page.get("more") or None
        if more is None or more in seen:
            return found
        seen.add(more)
