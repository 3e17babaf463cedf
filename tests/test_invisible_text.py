"""Nothing forged in text: control and invisible characters never reach a record.

Each real fixture (the saved article page, efetch XML) gets invisible characters inserted
after every space of its text (raw and as character references, in turn); the record must
come out exactly as from the untouched file, so every text field went through clean().
"""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import fixture_path

from aggregator.sources.eutils.parse import iter_efetch_records
from aggregator.sources.page import parse_article
from aggregator.text import clean

URL = "https://pubmed.ncbi.nlm.nih.gov/37882686/"
#: every kind the issue names: zero-width, BOM, word joiner, bidi overrides and isolates,
#: bidi marks, soft hyphen, and C1 controls (XML 1.0 forbids most C0 controls outright)
XML_SAFE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202b", "\u202c",
            "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
            "\u061c", "\u00ad", "\x80", "\x9b", "\x9f"]
HTML_EXTRA = ["\x01", "\x07", "\x1b", "\x7f"]
FORBIDDEN = set(XML_SAFE + HTML_EXTRA)


def _inject(text: str, chars: list[str]) -> str:
    """Insert one character after each space of the words between tags (raw or &#x…;).

    Only text holding a letter is touched: layout whitespace between elements is left
    alone (a character there is not text of any field, and changes how HTML's head ends).
    """
    pool = itertools.cycle(itertools.product(chars, (True, False)))

    def one(m: re.Match[str]) -> str:
        ch, raw = next(pool)
        return " " + (ch if raw else f"&#x{ord(ch):X};")

    def body(m: re.Match[str]) -> str:
        return ">" + re.sub(" ", one, m.group(1)) + "<"

    return re.sub(r">([^<]*[^\W\d_][^<]*)<", body, text)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("text", [
    "a\u202eb", "a\u200bb", "\ufeffx", "a\u00adb", "a\x00b", "a\x9bb", "a\u2066b\u2069",
])
def test_clean_removes_each_invisible_character(text):
    assert not FORBIDDEN & set(clean(text)) and "\x00" not in clean(text)


def test_clean_keeps_letters_symbols_and_combining_marks():
    text = "Müller e\u0301 α-β ≥ 5 µg 中文 ✓ \U0001d400"
    assert clean(text) == text
    assert clean("a\u200b \u200bb") == "a b"  # no double space left where one was removed
    assert clean("\u200b") is None


def test_page_parser_routes_every_text_field_through_clean():
    html = fixture_path("pubmed", "article-37882686.html").read_text(encoding="utf-8")
    plain = parse_article(html.encode(), URL).to_dict()
    # HTML maps the references &#x80;-&#x9F; to windows-1252 letters (&#x80; is "€"), as
    # browsers do: raw C1 controls are tested, their references are real characters
    chars = [c for c in XML_SAFE if c > "\xa0"] + HTML_EXTRA
    forged = parse_article(_inject(html, chars).encode(), URL).to_dict()
    assert not FORBIDDEN & set("".join(_strings(forged)))
    assert forged == plain


@pytest.mark.parametrize("name", ["efetch-pubmed1.xml", "efetch-pubmed6.xml",
                                  "efetch-pubmed7.xml"])
def test_efetch_parser_routes_every_text_field_through_clean(name):
    xml = fixture_path("eutils", name).read_text(encoding="utf-8")
    plain = [r.to_dict() for r in iter_efetch_records(xml.encode())]
    forged = [r.to_dict() for r in iter_efetch_records(_inject(xml, XML_SAFE).encode())]
    assert plain
    assert not FORBIDDEN & set("".join(_strings(forged)))
    assert forged == plain


def test_a_title_with_a_right_to_left_override_is_read_as_its_letters():
    xml = fixture_path("eutils", "efetch-pubmed1.xml").read_text(encoding="utf-8")
    title = re.search(r"<ArticleTitle>([^<]+)</ArticleTitle>", xml).group(1)
    forged = xml.replace(f"<ArticleTitle>{title}", f"<ArticleTitle>&#x202E;{title}&#x200B;", 1)
    record = next(iter_efetch_records(forged.encode()))
    assert record.title == clean(title)
