"""``python -m tests.mirror --articles 200 --seed 1 --port 8080``: serve a mirror.

``--realistic`` serves records of real size (reference lists of ~45, abstracts of ~1,500
characters: see ``tests/mirror/realistic.py``); without it the answers are the default ones.

Prints one line, the base URL, as soon as the port is bound (so scripts can read it),
then serves until interrupted (Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import signal
import sys

from tests.mirror.faults import FaultInjector
from tests.mirror.graph import MirrorGraph
from tests.mirror.server import MirrorServer
from tests.mirror.variants import VARIANTS


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, start the server, print its base URL, serve until stopped."""
    parser = argparse.ArgumentParser(prog="python -m tests.mirror", description=__doc__)
    parser.add_argument("--articles", type=int, default=200, help="graph size (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="graph seed (default 1)")
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--request-log", metavar="FILE",
                        help="append 'time method path status' per request to FILE")
    parser.add_argument("--faults", metavar="SPEC",
                        help='inject faults, e.g. "rate=0.2,seed=7,kinds=500,429,reset,timeout" '
                             "(see tests/mirror/faults.py)")
    parser.add_argument("--variant", choices=sorted(VARIANTS),
                        help="serve a page variant (js-similar: Similar list built by JS)")
    parser.add_argument("--realistic", action="store_true",
                        help="records of real size: ~45 references (PubMed Central's "
                             "distribution), ~1,500-character abstracts")
    opts = parser.parse_args(argv)
    if opts.articles < 1:
        parser.error("--articles must be at least 1")
    middlewares = []
    if opts.faults:
        try:
            middlewares.append(FaultInjector.from_spec(opts.faults))
        except ValueError as exc:
            parser.error(str(exc))
    graph = MirrorGraph(opts.articles, seed=opts.seed, realistic=opts.realistic)
    server = MirrorServer(graph, opts.host, opts.port,
                          request_log=opts.request_log, variant=opts.variant,
                          middlewares=middlewares)

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    print(server.base_url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
