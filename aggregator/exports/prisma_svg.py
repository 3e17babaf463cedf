"""The "identification of studies via other methods" column of the PRISMA 2020 flow diagram.

Drawn from the manifest's ``prisma.total`` block as a self-contained SVG (no scripts, no
external fonts) that a reviewer pastes into the report. Every number is a ``<tspan>``
with ``data-count="<key in the block>"`` so tests (and anyone) can check it against the
manifest. That column has no box for duplicates removed: they are a note beside the
identification box, as the issue asks.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

WIDTH = 900
_LEFT_X, _LEFT_W = 70, 430
_RIGHT_X, _RIGHT_W = 550, 320
_LINE = 20
_FAMILY = "font-family='Arial, Helvetica, sans-serif'"
_FONT = f"{_FAMILY} font-size='15'"


def _n(key: str, value: int) -> str:
    return f"(n = <tspan data-count='{escape(key)}'>{int(value)}</tspan>)"


def _box(x: int, y: int, w: int, lines: list[str], *, dashed: bool = False) -> tuple[str, int]:
    """A box with ``lines`` (already escaped SVG text); returns the markup and its height."""
    h = 16 + _LINE * len(lines)
    style = "stroke-dasharray='6 4' fill='#fbfbfb'" if dashed else "fill='#ffffff'"
    out = [f"<rect x='{x}' y='{y}' width='{w}' height='{h}' stroke='#000' "
           f"stroke-width='1.5' {style}/>"]
    for i, line in enumerate(lines):
        # SVG collapses leading spaces: an indented line is moved right instead
        indent = 24 if line.startswith("   ") else 0
        out.append(f"<text x='{x + 12 + indent}' y='{y + 26 + i * _LINE}' {_FONT}>"
                   f"{line.lstrip()}</text>")
    return "\n".join(out), h


def _arrow(x1: int, y1: int, x2: int, y2: int) -> str:
    return (f"<line x1='{x1}' y1='{y1}' x2='{x2}' y2='{y2}' stroke='#000' "
            f"stroke-width='1.5' marker-end='url(#arrow)'/>")


def _phase(label: str, y: int, h: int) -> str:
    cx, cy = 30, y + h // 2
    return (f"<rect x='12' y='{y}' width='36' height='{h}' rx='6' fill='#a8c6e6'/>"
            f"<text x='{cx}' y='{cy}' {_FONT} font-weight='bold' text-anchor='middle' "
            f"dominant-baseline='middle' transform='rotate(-90 {cx} {cy})'>{label}</text>")


def prisma_svg(total: dict[str, Any], title: str = "") -> str:
    """The SVG text for one ``prisma.total`` block (``title``: e.g. the seeds)."""
    cs = total["citation_searching"]
    parts = [
        "",  # the <svg> opening tag, once the height is known
        "<defs><marker id='arrow' markerWidth='10' markerHeight='10' refX='9' refY='5' "
        "orient='auto'><path d='M0,0 L10,5 L0,10 z' fill='#000'/></marker></defs>",
        "",  # the white background, likewise
        f"<rect x='{_LEFT_X}' y='14' width='{_RIGHT_X + _RIGHT_W - _LEFT_X}' height='40' "
        "rx='6' fill='#f2c14e'/>",
        f"<text x='{(_LEFT_X + _RIGHT_X + _RIGHT_W) // 2}' y='40' {_FONT} font-weight='bold' "
        "text-anchor='middle'>Identification of studies via other methods</text>",
    ]
    if title:
        parts.append(f"<text x='{_LEFT_X}' y='76' {_FAMILY} font-size='12' fill='#444'>"
                     f"{escape(title)}</text>")
    y = 92
    ident, h1 = _box(_LEFT_X, y, _LEFT_W, [
        "Records identified from:",
        "Citation searching " + _n("citation_searching_total", cs["backward"] + cs["forward"]),
        "   backward (references) " + _n("citation_searching.backward", cs["backward"]),
        "   forward (cited by) " + _n("citation_searching.forward", cs["forward"]),
        "PubMed similar articles " + _n("similar_articles", total["similar_articles"]),
    ])
    note, hn = _box(_RIGHT_X, y, _RIGHT_W, [
        "Note (no box in this column):",
        "Duplicates removed " + _n("duplicates_removed", total["duplicates_removed"]),
        "Already among the seeds " + _n("already_among_seeds", total["already_among_seeds"]),
        "Found by more than one relation",
        "   " + _n("overlap.more_than_one", total["overlap"]["more_than_one"]),
    ], dashed=True)
    parts += [_phase("Identification", y, max(h1, hn)), ident, note,
              f"<line x1='{_LEFT_X + _LEFT_W}' y1='{y + h1 // 2}' x2='{_RIGHT_X}' "
              f"y2='{y + h1 // 2}' stroke='#000' stroke-dasharray='4 3'/>"]
    y2 = y + max(h1, hn) + 60
    parts.append(_arrow(_LEFT_X + _LEFT_W // 2, y + h1, _LEFT_X + _LEFT_W // 2, y2))
    sought, h2 = _box(_LEFT_X, y2, _LEFT_W, [
        "Reports sought for retrieval",
        _n("reports_sought", total["reports_sought"]),
    ])
    reasons = [f"   {escape(k.replace('_', ' '))} " + _n(f"not_retrieved_reasons.{k}", v)
               for k, v in total["not_retrieved_reasons"].items()]
    missing, h3 = _box(_RIGHT_X, y2, _RIGHT_W, [
        "Reports not retrieved " + _n("not_retrieved", total["not_retrieved"]), *reasons])
    parts += [sought, missing,
              _arrow(_LEFT_X + _LEFT_W, y2 + h2 // 2, _RIGHT_X, y2 + h2 // 2)]
    y3 = y2 + max(h2, h3) + 60
    parts.append(_arrow(_LEFT_X + _LEFT_W // 2, y2 + h2, _LEFT_X + _LEFT_W // 2, y3))
    assessed, h4 = _box(_LEFT_X, y3, _LEFT_W, [
        "Reports retrieved, to assess for eligibility",
        _n("retrieved", total["retrieved"]),
        "Retracted, seeds included " + _n("retracted", total["retracted"]),
    ])
    excluded, h5 = _box(_RIGHT_X, y3, _RIGHT_W, [
        "Reports excluded:", "   (the reviewers' screening)"], dashed=True)
    parts += [_phase("Screening", y2, y3 + max(h4, h5) - y2), assessed, excluded,
              _arrow(_LEFT_X + _LEFT_W, y3 + h4 // 2, _RIGHT_X, y3 + h4 // 2)]
    height = y3 + max(h4, h5) + 50
    parts[0] = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{height}' "
                f"viewBox='0 0 {WIDTH} {height}'>")
    parts[2] = f"<rect width='{WIDTH}' height='{height}' fill='#ffffff'/>"
    parts.append(f"<text x='{_LEFT_X}' y='{height - 16}' {_FAMILY} font-size='11' fill='#555'>"
                 "Counts from the run manifest's prisma.total block (aggregator).</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def svg_counts(svg: str) -> dict[str, int]:
    """Every ``data-count`` number in an SVG written by :func:`prisma_svg`."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(svg)
    return {el.get("data-count", ""): int(el.text or 0)
            for el in root.iter("{http://www.w3.org/2000/svg}tspan") if el.get("data-count")}
