"""The mirror's HTTP server: PubMed pages and E-utilities answers on 127.0.0.1.

Two layers: :class:`MirrorApp` turns a :class:`Request` into a :class:`Response` (pure,
testable without sockets; routes mimic the real site), and :class:`MirrorServer` serves
it with the standard library's ``ThreadingHTTPServer`` (HTTP/1.1 keep-alive,
Content-Length on every answer).

Extension points for later work: ``middlewares`` wrap the app (a fault injector returns
5xx/429/block pages or a ``Response(abort=True)`` that drops the connection, before or
instead of calling ``next_``), and a subclass may override ``article`` / ``render_*`` to
serve a page variant (e.g. a Similar list inserted by JavaScript).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO
from urllib.parse import parse_qs, urlsplit

from tests.mirror import eutils, html, icite
from tests.mirror.graph import MirrorGraph

__all__ = [
    "ROBOTS_TXT",
    "Middleware",
    "MirrorApp",
    "MirrorServer",
    "Request",
    "Response",
]

#: PubMed's robots.txt as served in 2025-02 (copied from tests/fixtures/pubmed/robots.txt).
ROBOTS_TXT = """User-agent: *
Crawl-delay: 1
Disallow: /api
Disallow: /rss
Disallow: /advanced/adv-suggestions/
Disallow: /terms/
Disallow: /addToHistory/
Disallow: /deleteHistory/
Disallow: /downloadHistory/
Disallow: /deleteHistoryRecord/
Disallow: /historyCacheExists/
Disallow: /*/references/
Disallow: /*/citations/
Disallow: /*/export/
Disallow: /*/citedby/
Disallow: /*/similar/
Disallow: /*/adj-nav/
Disallow: /ajax/
Disallow: /clipboard/
Disallow: /clipboard-next-page/
Disallow: /health/
Disallow: /deep-health-abstract/
Disallow: /deep-health-search/
Disallow: /deep-health-auth/
Disallow: /error/400/
Disallow: /error/403/
Disallow: /error/404/
Disallow: /error/500/
Disallow: /results-export-ids/
Disallow: /results-export-search-data/
Disallow: /results-export-email-by-search-data/
Disallow: /results-export-search-by-year/
Disallow: /send-email/
Disallow: /list-existing-collections/
Disallow: /add-to-existing-collection/
Disallow: /create-and-add-to-new-collection/
Disallow: /toggle-favorites-collection/
Disallow: /list-bibliography-delegates/
Disallow: /add-to-bibliography/
Disallow: /create-saved-search/
Disallow: /create-rss-feed-url/
Disallow: /searches/
Disallow: /collections/
Disallow: /more/
Disallow: /suggestions/
Disallow: /try-search-term/
Disallow: /rss-feed/

Sitemap: https://pubmed.ncbi.nlm.nih.gov/sitemap?p=index.xml
"""

HTML_TYPE = "text/html; charset=utf-8"
XML_TYPE = "text/xml; charset=UTF-8"
LIST_TITLES = {
    "pubmed_pubmed": "Similar articles",
    "pubmed_pubmed_citedin": "Cited by",
    "pubmed_pubmed_refs": "References",
}
MAX_PAGE_SIZE = 200
_FORMATS = ("summary", "abstract", "pubmed", "pmid")
_EUTILS = "/entrez/eutils/"


@dataclass(slots=True)
class Request:
    """One HTTP request, parsed: ``params`` merges the query and a form-encoded POST body."""

    method: str
    target: str  # path and query as sent
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None


@dataclass(slots=True)
class Response:
    """An answer; ``abort=True`` drops the connection without answering (for faults)."""

    status: int
    body: bytes = b""
    content_type: str = HTML_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)
    abort: bool = False

    @classmethod
    def text(cls, status: int, text: str, content_type: str = HTML_TYPE) -> Response:
        return cls(status, text.encode("utf-8"), content_type)

    @classmethod
    def redirect(cls, status: int, location: str) -> Response:
        return cls(status, b"", HTML_TYPE, [("Location", location)])


Handler = Callable[[Request], Response]
#: ``middleware(request, next_)`` -> Response; call ``next_(request)`` to pass it on.
Middleware = Callable[[Request, Handler], Response]


class MirrorApp:
    """Routes of the mirror (the real site's URLs) over a :class:`MirrorGraph`."""

    def __init__(self, graph: MirrorGraph, middlewares: Iterable[Middleware] = ()) -> None:
        self.graph = graph
        self.middlewares: list[Middleware] = list(middlewares)
        self.base_url = html.SITE  # set to the served URL by MirrorServer
        self.icite = icite.IciteView(graph)

    def __call__(self, request: Request) -> Response:
        handler: Handler = self.route
        for mw in reversed(self.middlewares):
            handler = _bind(mw, handler)
        return handler(request)

    # ------------------------------------------------------------------ routing

    def route(self, request: Request) -> Response:
        """Dispatch on the path (no middleware)."""
        path = request.path
        if path == "/robots.txt":
            return Response.text(200, ROBOTS_TXT, "text/plain; charset=utf-8")
        if path.startswith(_EUTILS):
            return self.eutils(path[len(_EUTILS):], request)
        if path.rstrip("/") == icite.ICITE_PATH:  # ICITE_BASE_URL=<mirror>/icite/api
            status, text = icite.pubs(self.icite, request.params)
            return Response.text(status, text, "application/json; charset=utf-8")
        if path == "/":
            return self.home_or_list(request)
        parts = path.strip("/").split("/")
        if len(parts) == 1 and parts[0].isdigit():
            if not path.endswith("/"):
                return Response.redirect(301, f"/{parts[0]}/")
            return self.article(parts[0])
        return self.not_found(path)

    def not_found(self, path: str) -> Response:
        return Response.text(404, html.not_found_page(path))

    def article(self, pmid: str) -> Response:
        """``/<pmid>/``: the article page, or 404 for unknown and missing PMIDs."""
        if not self.graph.exists(pmid):
            return self.not_found(f"/{pmid}/")
        return Response.text(200, self.render_article(pmid))

    def render_article(self, pmid: str) -> str:
        return html.article_page(self.graph, self.graph.article(pmid), self.base_url)

    def home_or_list(self, request: Request) -> Response:
        """``/``: home page, a linkname list, a search, or "[Invalid form]"."""
        if not request.params:
            return Response.text(200, _HOME_PAGE)
        errors: list[str] = []
        size = _int_param(request, "size", 10, 1, MAX_PAGE_SIZE, errors)
        page = _int_param(request, "page", 1, 1, None, errors)
        fmt = request.param("format")
        if fmt is not None and fmt not in _FORMATS:
            errors.append('Invalid value for parameter "format". Select a valid choice.')
        linkname = request.param("linkname")
        term = (request.param("term") or "").strip()
        if linkname is not None:
            from_uid = (request.param("from_uid") or "").strip()
            if linkname not in LIST_TITLES:
                errors.append('Invalid value for parameter "linkname". Select a valid choice.')
            if not from_uid.isdigit():
                errors.append('Invalid value for parameter "from_uid".')
        elif not term:
            errors.append('Invalid value for parameter "term". This field is required.')
        if errors:
            return Response.text(200, html.invalid_form_page(errors, term))
        if linkname is not None:
            return self.linked_list(linkname, from_uid, page, size)
        return self.search(term, page, size)

    def linked_list(self, linkname: str, from_uid: str, page: int, size: int) -> Response:
        """``/?linkname=…&from_uid=N``: similar (the article excluded), cited by, references."""
        g = self.graph
        if linkname == "pubmed_pubmed":
            pmids = g.similar(from_uid)
        elif linkname == "pubmed_pubmed_citedin":
            pmids = g.cited_by(from_uid)
        else:
            pmids = g.references(from_uid)
        params = {"linkname": linkname, "from_uid": from_uid, "size": str(size)}
        title = f"{LIST_TITLES[linkname]} for PMID {from_uid} - Search Results - PubMed"
        return Response.text(200, html.results_page(
            g, pmids, page=page, size=size, query=None, params=params, title=title))

    def search(self, term: str, page: int, size: int) -> Response:
        """``/?term=…``: title-word search; a single hit redirects to its article (302)."""
        hits = self.graph.search(term)
        if len(hits) == 1:
            return Response.redirect(302, f"/{hits[0]}/")
        params = {"term": term, "size": str(size)}
        return Response.text(200, html.results_page(
            self.graph, hits, page=page, size=size, query=term, params=params,
            title=f"{term} - Search Results - PubMed"))

    def eutils(self, name: str, request: Request) -> Response:
        """``/entrez/eutils/{esearch,elink,efetch}.fcgi`` (GET or form POST)."""
        tools = {"esearch.fcgi": eutils.esearch, "elink.fcgi": eutils.elink,
                 "efetch.fcgi": eutils.efetch}
        tool = tools.get(name)
        if tool is None:
            return self.not_found(_EUTILS + name)
        status, xml = tool(self.graph, request.params)
        return Response.text(status, xml, XML_TYPE)


def _bind(mw: Middleware, next_: Handler) -> Handler:
    return lambda request: mw(request, next_)


def _int_param(request: Request, name: str, default: int, lo: int, hi: int | None,
               errors: list[str]) -> int:
    raw = request.param(name)
    if raw is None or raw == "":
        return default
    if raw.isdigit() and int(raw) >= lo and (hi is None or int(raw) <= hi):
        return int(raw)
    errors.append(f'Invalid value for parameter "{name}".')
    return default


_HOME_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="UTF-8"><title>PubMed</title>'
    '<meta name="ncbi_pdid" content="home"></head>\n<body><main class="home-page" id="home-page">'
    '<form action="/" method="get" class="usa-search search-form" id="search-form" '
    'role="search"><input type="search" name="term" class="term-input" id="id_term"></form>'
    "</main></body>\n</html>\n"
)


# ----------------------------------------------------------------------------- HTTP


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "PubMedMirror/1.0"
    timeout = 60  # idle keep-alive connections do not hold a thread forever
    server: _HTTPServer

    def _serve(self, method: str) -> None:
        split = urlsplit(self.path)
        params = parse_qs(split.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length)
            ctype = self.headers.get("Content-Type", "")
            if method == "POST" and "application/x-www-form-urlencoded" in ctype:
                for k, v in parse_qs(body.decode("utf-8", "replace"),
                                     keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
        request = Request(method, self.path, split.path or "/", params, dict(self.headers))
        try:
            response = self.server.app(request)
        except Exception as exc:  # a bug in the mirror: answer 500, keep serving
            response = Response.text(500, f"mirror error: {exc!r}", "text/plain; charset=utf-8")
        self.server.log_request_line(method, self.path, 0 if response.abort else response.status)
        if response.abort:
            self.close_connection = True
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(response.body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet: the optional request log records what matters


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: MirrorApp,
                 request_log: IO[str] | None) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self._log = request_log
        self._log_lock = threading.Lock()

    def log_request_line(self, method: str, path: str, status: int) -> None:
        """Append ``time method path status`` (one line per request) to the request log."""
        if self._log is None:
            return
        line = f"{time.time():.6f} {method} {path} {status}\n"
        with self._log_lock:
            self._log.write(line)
            self._log.flush()


class MirrorServer:
    """Serve a graph on ``host:port`` (0 picks a free port) from a background thread.

    Use as a context manager, or ``start()`` / ``stop()``; ``base_url`` is e.g.
    ``http://127.0.0.1:PORT``. ``request_log`` (a path) appends one line per request.
    ``variant`` serves a page variant (see :mod:`tests.mirror.variants`).
    """

    def __init__(self, graph: MirrorGraph, host: str = "127.0.0.1", port: int = 0, *,
                 request_log: str | None = None,
                 middlewares: Iterable[Middleware] = (),
                 variant: str | None = None) -> None:
        from tests.mirror.variants import make_app  # variants subclass MirrorApp

        self.graph = graph
        self.app = make_app(graph, variant, middlewares)
        self._log_file = open(request_log, "a", encoding="utf-8") if request_log else None  # noqa: SIM115
        self._httpd = _HTTPServer((host, port), self.app, self._log_file)
        self.host, self.port = self._httpd.server_address[:2]
        self.base_url = f"http://{self.host}:{self.port}"
        self.app.base_url = self.base_url
        self._thread: threading.Thread | None = None

    def start(self) -> MirrorServer:
        """Start serving in a daemon thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever,
                                            name="pubmed-mirror", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until ``stop()`` (or KeyboardInterrupt)."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._httpd.server_close()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
