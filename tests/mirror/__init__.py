"""A local PubMed mirror: a synthetic, deterministic article graph served over HTTP.

Serves PubMed-shaped article and list pages and E-utilities answers on 127.0.0.1 for
end-to-end tests, ``make demo`` and benchmarks. Standard library only.
"""

from tests.mirror.graph import MirrorArticle, MirrorGraph, reachable
from tests.mirror.server import MirrorApp, MirrorServer, Request, Response

__all__ = [
    "MirrorApp",
    "MirrorArticle",
    "MirrorGraph",
    "MirrorServer",
    "Request",
    "Response",
    "reachable",
]
