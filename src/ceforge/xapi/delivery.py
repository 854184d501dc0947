"""Sending statements to an LRS with ``tincan.RemoteLRS``, and reading them back.

``read_statements`` (``ceforge records``, and ``completed_statements`` for ``ceforge
certificate``) reads with urllib rather than ``tincan.RemoteLRS``: it needs a timeout, retries,
and the statements exactly as stored (tincan turns them into objects, which keep only what
they know and fail on an answer that is not a statement).

Credentials come from the environment only (``CEFORGE_LRS_USERNAME``,
``CEFORGE_LRS_PASSWORD``), never from arguments (they would land in shell history) and never
from the endpoint; no message ever repeats them.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from tincan import RemoteLRS, StatementList

from ceforge.xapi.credentials import url_problem
from ceforge.xapi.statements import statement_json
from ceforge.xapispec import XAPI_VERSION

USERNAME_VARIABLE = "CEFORGE_LRS_USERNAME"
PASSWORD_VARIABLE = "CEFORGE_LRS_PASSWORD"
BATCH = 50  # statements per POST, as the runtime batches them
PAGE = 500  # statements asked for per GET; the LRS's "more" link gives the next ones


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
    """Why the LRS refused, from a tincan response."""
    return _refused(endpoint, response.response.status, response.data, secrets, what)


def _refused(endpoint: str, status: int, data: Any, secrets: tuple[str, ...], what: str) -> str:
    """Why the LRS refused: its status, and its answer with every secret masked."""
    if status in (401, 403):
        return (
            f"the LRS at {endpoint} refused the credentials (HTTP {status}): check "
            f"{USERNAME_VARIABLE} and {PASSWORD_VARIABLE}"
        )
    data = data or ""
    body = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    for secret in (s for s in secrets if s):
        body = body.replace(secret, "***")
    detail = f": {body[:300]}" if body.strip() else ""
    return f"the LRS at {endpoint} refused {what} (HTTP {status}){detail}"


def completed_statements(endpoint: str, username: str, password: str) -> list[dict[str, Any]]:
    """Every ``completed`` statement the LRS holds, as JSON (``read_statements``): the
    provider's records of completions (``ceforge certificate`` looks a code up in them).

    The statements are read whole and the verb picked here: an LRS may not filter by ``verb``
    as the xAPI asks (Ralph's answers nothing to it), and a record missed is a certificate
    wrongly refused."""
    from ceforge.xapi.vocabulary import ADL_VERBS

    completed = ADL_VERBS + "completed"
    return [s for s in read_statements(endpoint, username, password) if isinstance(s, dict)
            and isinstance(s.get("verb"), dict) and s["verb"].get("id") == completed]


# --- reading statements back: ceforge records ----------------------------------------------------

RETRIES = 3  # further tries of a GET that met a network error, a 429 or a 5xx
TIMEOUT = 30.0  # seconds to wait for an answer


def read_statements(
    endpoint: str,
    username: str,
    password: str,
    *,
    since: str | None = None,
    page_size: int = PAGE,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[dict[str, Any]]:
    """Every statement of the LRS (stored ``since`` when given), oldest first, following the
    ``more`` links, as JSON objects exactly as the LRS sent them.

    A GET that fails on the way (the network, a 429, a 5xx) is tried ``RETRIES`` more times
    with a growing pause; an LRS that refuses (other 4xx), answers something that is not a
    StatementResult, or sends a ``more`` link to another server stops the reading with an
    LRSError saying which. Credentials go to the endpoint's server only."""
    base = checked_endpoint(endpoint)
    auth = basic_auth(username, password)
    secrets = (password, auth, auth.split()[1])
    params = {"limit": str(page_size), "ascending": "true"}
    if since:
        params["since"] = since
    url = urljoin(base, "statements") + "?" + urlencode(params)
    seen = set()
    while url:
        seen.add(url)
        answer = _get_json(url, base, auth, secrets, sleep)
        statements = answer.get("statements") if isinstance(answer, dict) else None
        if not isinstance(statements, list):
            raise LRSError(f"the LRS at {base} answered something that is not a list of "
                           "statements (no 'statements' array in its answer)")
        yield from statements
        more = answer.get("more") or ""
        if not isinstance(more, str):
            raise LRSError(f"the LRS at {base} answered a 'more' link that is not a string")
        url = urljoin(base, more) if more else ""
        if url and urlsplit(url).netloc != urlsplit(base).netloc:
            raise LRSError(f"the LRS at {base} sent a 'more' link to another server ({more}); "
                           "ceforge sends the credentials to the endpoint's server only")
        if url in seen:
            raise LRSError(f"the LRS at {base} sent the same 'more' link twice ({more})")


def _get_json(
    url: str, base: str, auth: str, secrets: tuple[str, ...], sleep: Callable[[float], None]
) -> Any:
    request = urllib.request.Request(url, headers={
        "Authorization": auth, "X-Experience-API-Version": XAPI_VERSION,
        "Accept": "application/json",
    })
    problem = ""
    for attempt in range(RETRIES + 1):
        if attempt:
            sleep(0.5 * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                data = response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()
            if exc.code == 429 or exc.code >= 500:
                problem = f"HTTP {exc.code}"
                continue
            refusal = _refused(base, exc.code, body, secrets, "to list its statements")
            raise LRSError(refusal) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            problem = str(reason) or type(exc).__name__
            continue
        try:
            return json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise LRSError(f"the LRS at {base} answered something that is not JSON: "
                           f"{data[:120]!r}") from None
    raise LRSError(f"the LRS at {base} did not answer after {RETRIES + 1} tries ({problem})")
