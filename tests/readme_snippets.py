"""The README's analyst snippets: find them, run them on a demo crawl, fill their output.

``python -m tests.readme_snippets`` crawls the demo mirror into a scratch directory, runs
every snippet between the ``analyst-snippets`` markers and writes each one's real output
into the README's block after it; ``tests/test_analyst_readme.py`` runs them again and
compares.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BEGIN, END = "<!-- analyst-snippets:begin -->", "<!-- analyst-snippets:end -->"
#: a python block, the prose between, then its output block
_PAIR = re.compile(r"```python\n(.*?)```\n```\n(.*?)```\n", re.S)


def snippets(text: str) -> list[tuple[str, str]]:
    """``(code, shown output)`` of each snippet in the analyst section."""
    section = text[text.index(BEGIN):text.index(END)]
    return [(m.group(1), m.group(2)) for m in _PAIR.finditer(section)]


def run_snippet(code: str, cwd: Path) -> str:
    """The snippet's stdout, run in ``cwd`` (where demo.jsonl and output/ are)."""
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise AssertionError(f"snippet failed:\n{code}\n{done.stderr[-2000:]}")
    return normalise(done.stdout)


def normalise(output: str) -> str:
    """Trailing spaces off each line (the README keeps none)."""
    return "".join(line.rstrip() + "\n" for line in output.splitlines())


def demo_crawl(where: Path) -> None:
    """``make demo`` into ``where`` (demo.jsonl and output/)."""
    from tests.mirror import demo

    code = demo.main(["--out", str(where / "demo.jsonl"), "--output-dir", str(where / "output")])
    assert code == 0, "demo crawl failed"


def update() -> None:
    """Fill every snippet's output block with its real output on a fresh demo crawl."""
    text = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        demo_crawl(Path(tmp))
        begin, end = text.index(BEGIN), text.index(END)
        section = text[begin:end]

        def fill(match: re.Match[str]) -> str:
            code = match.group(1)
            return f"```python\n{code}```\n```\n{run_snippet(code, Path(tmp))}```\n"

        text = text[:begin] + _PAIR.sub(fill, section) + text[end:]
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    update()
