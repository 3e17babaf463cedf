"""Fault injection for the mirror: transient errors, rate limits and NCBI-style blocks.

A :class:`FaultInjector` is a mirror middleware (``(request, next_) -> Response``). On a
chosen share of requests (``rate``) it answers with a fault instead of the page. The
choice is deterministic: a hash of ``(seed, method + path and query, attempt number)``,
where the attempt number counts how often the mirror has seen that exact request. So a
run is reproducible, and a retried request draws again (and usually succeeds).

Kinds (``kinds=``):

=============  ===========================================================================
``500`` …      that HTTP status (500, 502, 503, 504) with a short error page
``429``        "Too Many Requests" with ``Retry-After: <retry_after>``
``reset``      the connection is dropped without an answer
``timeout``    the answer is held for ``timeout_secs`` (set it above DOWNLOAD_TIMEOUT)
``misuse``     302 to the mirror's imitation of misuse.ncbi.nlm.nih.gov (a block page)
``block``      NCBI's "too many requests / blocked" page, status 200
``challenge``  a JavaScript/cookie check page, status 200
``truncated``  the real page cut after ``truncate_at`` of its bytes (status 200)
``foreign``    a page that is not PubMed's (a web server's default page), status 200
=============  ===========================================================================

Spec strings (``--faults`` of ``python -m tests.mirror``)::

    rate=0.2,seed=7,kinds=500,502,503,504,429,reset,timeout,retry_after=1,timeout_secs=3

Bare words after ``kinds=`` are more kinds. ``/robots.txt`` and the block page itself are
never faulted. ``paths=/entrez/`` limits faults to paths starting with that prefix.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.mirror.server import Handler, Request, Response

__all__ = ["ALL_KINDS", "BLOCK_KINDS", "MISUSE_PATH", "TRANSIENT_KINDS", "FaultInjector",
           "FaultSpec", "parse_spec"]

TRANSIENT_KINDS = ("500", "502", "503", "504", "429", "reset", "timeout")
BLOCK_KINDS = ("misuse", "block", "challenge")
ALL_KINDS = (*TRANSIENT_KINDS, *BLOCK_KINDS, "truncated", "foreign")
#: where the ``misuse`` redirect points: on the mirror itself, nothing leaves 127.0.0.1
MISUSE_PATH = "/misuse.ncbi.nlm.nih.gov/error/abuse.shtml"
_NEVER_FAULTED = ("/robots.txt", MISUSE_PATH)

# Text modelled on NCBI's block answers (2025); the markers are what classify() looks for.
MISUSE_PAGE = (
    "<!DOCTYPE html><html><head><title>Access Denied | NCBI</title></head><body>"
    "<h1>Your access to NCBI has been temporarily blocked</h1>"
    "<p>This IP address has been blocked for possible abuse of NCBI resources "
    "(misuse.ncbi.nlm.nih.gov). Please read the usage guidelines and contact "
    "info@ncbi.nlm.nih.gov with the blocked diagnostic below.</p>"
    "<p>Blocked diagnostic: 127.0.0.1 mirror</p></body></html>"
)
TOO_MANY_PAGE = (
    "<!DOCTYPE html><html><head><title>Too Many Requests</title></head><body>"
    "<h1>Too Many Requests</h1><p>Rate limit exceeded. Please slow down, or use an "
    "API key with the E-utilities.</p></body></html>"
)
CHALLENGE_PAGE = (
    "<!DOCTYPE html><html><head><title>Checking your browser</title>"
    "<script>document.cookie='ncbi_chk=1; path=/';window.location.reload();</script>"
    "</head><body><noscript>Please enable JavaScript to continue.</noscript></body></html>"
)
FOREIGN_PAGE = (
    "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body>"
    "<h1>Welcome to nginx!</h1><p>If you see this page, the web server is successfully "
    "installed and working.</p></body></html>"
)


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """What to inject and how often."""

    rate: float = 0.2
    seed: int = 0
    kinds: tuple[str, ...] = TRANSIENT_KINDS
    retry_after: int = 1
    timeout_secs: float = 3.0
    truncate_at: float = 0.4
    paths: str = "/"


def parse_spec(text: str) -> FaultSpec:
    """Parse ``"rate=0.2,seed=7,kinds=500,429,reset"``; raise ValueError on a bad spec."""
    values: dict[str, str] = {}
    kinds: list[str] = []
    last = ""
    for token in (t.strip() for t in text.split(",")):
        if not token:
            continue
        if "=" in token:
            last, _, value = token.partition("=")
            last = last.strip()
            if last == "kinds":
                kinds.append(value.strip())
            else:
                values[last] = value.strip()
        elif last == "kinds":
            kinds.append(token)
        else:
            raise ValueError(f"fault spec: {token!r} is not key=value")
    unknown = set(values) - {"rate", "seed", "retry_after", "timeout_secs", "truncate_at",
                             "paths"}
    if unknown:
        raise ValueError(f"fault spec: unknown key {sorted(unknown)[0]!r}")
    bad = [k for k in kinds if k not in ALL_KINDS]
    if bad:
        raise ValueError(f"fault spec: unknown kind {bad[0]!r}; known: {', '.join(ALL_KINDS)}")
    spec = FaultSpec(
        rate=float(values.get("rate", 0.2)), seed=int(values.get("seed", 0)),
        kinds=tuple(kinds) or TRANSIENT_KINDS, retry_after=int(values.get("retry_after", 1)),
        timeout_secs=float(values.get("timeout_secs", 3.0)),
        truncate_at=float(values.get("truncate_at", 0.4)), paths=values.get("paths", "/"),
    )
    if not 0.0 <= spec.rate <= 1.0:
        raise ValueError("fault spec: rate must be between 0 and 1")
    return spec


@dataclass
class FaultInjector:
    """Mirror middleware injecting faults; ``injected`` counts them per kind."""

    spec: FaultSpec = field(default_factory=FaultSpec)
    injected: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    _attempts: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_spec(cls, text: str) -> FaultInjector:
        return cls(parse_spec(text))

    @property
    def total(self) -> int:
        """Faults injected so far (all kinds)."""
        return sum(self.injected.values())

    def choose(self, key: str, attempt: int) -> str | None:
        """The fault for this request's ``attempt``-th arrival, or None (pure function)."""
        digest = hashlib.blake2b(f"{self.spec.seed}\0{key}\0{attempt}".encode(),
                                 digest_size=16).digest()
        draw = int.from_bytes(digest[:8], "big") / 2**64
        if draw >= self.spec.rate:
            return None
        return self.spec.kinds[int.from_bytes(digest[8:], "big") % len(self.spec.kinds)]

    def __call__(self, request: Request, next_: Handler) -> Response:
        if request.path in _NEVER_FAULTED or not request.path.startswith(self.spec.paths):
            if request.path == MISUSE_PATH:
                return Response.text(200, MISUSE_PAGE)
            return next_(request)
        key = f"{request.method} {request.target}"
        with self._lock:
            self.requests += 1
            self._attempts[key] += 1
            kind = self.choose(key, self._attempts[key])
            if kind is not None:
                self.injected[kind] += 1
        if kind is None:
            return next_(request)
        return self.answer(kind, request, next_)

    def answer(self, kind: str, request: Request, next_: Handler) -> Response:
        """The faulty answer of ``kind``."""
        if kind.isdigit() and kind != "429":
            return Response.text(int(kind), f"<html><body><h1>{kind} Server Error</h1>"
                                 "</body></html>")
        if kind == "429":
            response = Response.text(429, TOO_MANY_PAGE)
            response.headers.append(("Retry-After", str(self.spec.retry_after)))
            return response
        if kind == "reset":
            return Response(0, abort=True)
        if kind == "timeout":
            time.sleep(self.spec.timeout_secs)
            return Response(0, abort=True)
        if kind == "misuse":
            return Response.redirect(302, MISUSE_PATH)
        if kind == "block":
            return Response.text(200, TOO_MANY_PAGE)
        if kind == "challenge":
            return Response.text(200, CHALLENGE_PAGE)
        if kind == "foreign":
            return Response.text(200, FOREIGN_PAGE)
        # truncated: the real answer, cut (Content-Length matches the cut body, as when
        # a proxy or the origin gives up mid-page)
        real = next_(request)
        real.body = real.body[: int(len(real.body) * self.spec.truncate_at)]
        return real
