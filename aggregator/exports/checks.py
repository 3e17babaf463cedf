"""Before the first request: every output the crawl will write can be written.

A feed that cannot be written (``-O /proc/sys/x.jsonl``) used to end with exit 0, no file
and a journal marked done; an ``OUTPUT_DIR`` that is a file gave a traceback. The spider
calls :func:`exit_if_unwritable` when it is created (before the journal touches the disk)
and stops with one clear line (exit status 2, as for bad arguments) before anything is
fetched.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)


def exit_if_unwritable(settings: object, output_dir: Path) -> None:
    """One clear line and exit status 2 when an output cannot be written (``output_dir``:
    the Config's ``OUTPUT_DIR``; the feeds are Scrapy's ``FEEDS`` setting)."""
    problem = output_problem(settings, output_dir)
    if problem:
        logger.error("cannot write the outputs: %s", problem)
        print(f"error: {problem}", file=sys.stderr)
        raise SystemExit(2)


def output_problem(settings: object, output_dir: Path) -> str | None:
    """Why OUTPUT_DIR or a local feed cannot be written, or None when they can."""
    problem = _dir_problem(output_dir, "OUTPUT_DIR")
    if problem:
        return problem
    for uri in settings.getdict("FEEDS"):  # type: ignore[attr-defined]
        path = _local_path(str(uri))
        if path is not None and (problem := _file_problem(path)):
            return problem
    return None


def _local_path(uri: str) -> Path | None:
    """The file a feed URI writes, when it is a local file without placeholders."""
    if "%(" in uri:
        uri = uri.split("%(", 1)[0]  # the directory part before a placeholder still counts
        return Path(uri).parent / ".aggregator-probe" if uri else None
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    if len(parts.scheme) > 1:  # s3://, ftp://, stdout: … (a Windows drive letter is one)
        return None
    return Path(uri)


def _dir_problem(path: Path, name: str) -> str | None:
    if path.exists() and not path.is_dir():
        return f"{name} {str(path)!r} is not a directory"
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
            pass
    except OSError as exc:
        return f"{name} {str(path)!r} is not a writable directory ({exc.strerror})"
    return None


def _file_problem(path: Path) -> str | None:
    if path.is_dir():
        return f"feed {str(path)!r} is a directory, not a file"
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # FeedExporter creates it too
        with path.open("ab"):
            pass
    except OSError as exc:
        return f"feed {str(path)!r} cannot be written ({exc.strerror})"
    if not existed:
        os.unlink(path)
    return None
