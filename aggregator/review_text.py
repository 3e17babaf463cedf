"""The text of a review's abstract as sentences: lower-casing that keeps offsets, publisher
boilerplate removed, sentences split (also where OpenAlex glued them together), and section
headings written into the text ("Results Nineteen studies …", "MethodsThe EMBASE …") read
as labels. ``aggregator.review_facts`` reads its facts from these sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from aggregator.text import clean

__all__ = ["NOTICE_CUES", "RESULTS_HEADING", "has_any", "is_notice", "lower", "run_in_heading",
           "split_sentences", "strip_boilerplate"]

#: Lower-case A-Z, and the Unicode hyphens (U+2010, U+2011: "meta‐analysis" in Wiley and
#: OpenAlex titles) as "-": one character for one, so offsets stay those of the original.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ\u2010\u2011",
                             "abcdefghijklmnopqrstuvwxyz--")


def lower(text: str) -> str:
    """Lower-cased, Unicode hyphens made plain; offsets in the copy are those of the original."""
    # str.lower() is ~20 times faster than translate (which is very slow on non-ASCII text);
    # it also lower-cases non-ASCII letters, harmless for the ASCII patterns, but where that
    # changes the length ("İ") only the translation keeps the offsets
    low = text.lower()
    if len(low) != len(text):
        return text.translate(_ASCII_LOWER)
    if "\u2010" in low or "\u2011" in low:
        low = low.replace("\u2010", "-").replace("\u2011", "-")
    return low


def has_any(text: str, cues: Iterable[str]) -> bool:
    """Whether any of the cues is a substring of the text."""
    # a plain loop: about twice as fast as any(<generator>), and this runs very often
    for cue in cues:  # noqa: SIM110
        if cue in text:
            return True
    return False


# --------------------------------------------------------------------------- boilerplate

#: Publisher boilerplate is not the authors' method: APA's "(PsycInfo Database Record (c) 2021
#: APA, all rights reserved)" would otherwise read as a search of PsycINFO. A copyright notice
#: runs to the end of its section ("© 2024 The Authors. Published by Elsevier Ltd. This is an
#: open access article under the CC BY licence."); the other notices are whole sentences.
_APA_RECORD = re.compile(
    r"\(\s*(?:APA\s+)?Psy(?:c|ch)\s?INFO\s+Database\s+Record\b(?:[^()]|\([^()]*\))*\)\.?", re.I)
_COPYRIGHT = re.compile(
    r"(?:^|(?<=[\s.;:)\]]))(?:copyright\s*(?:©|\(c\))?|©|\(c\))\s*(?:(?:19|20)\d\d\b|the\s+authors?\b"
    r"|[A-Z][\w.&-]*\s+(?:(?:19|20)\d\d|Inc|Ltd|LLC|GmbH|B\.?V|S\.?A|Publishing|Press|Society"
    r"|Association|Elsevier|Wiley|Springer)\b)", re.I)
_NOTICE = re.compile(
    r"^(?:published\s+by\s+|all\s+rights\s+reserved|this\s+(?:is\s+an\s+)?open[\s-]access\s+article"
    r"|this\s+(?:article|work|paper)\s+is\s+(?:protected\s+by\s+copyright|(?:an\s+)?open[\s-]access"
    r"|(?:distributed|licen[cs]ed|published)\s+under)|(?:this\s+(?:article|work)\s+is\s+)?licen[cs]ed"
    r"\s+under\s+(?:a\s+|the\s+)?creative\s+commons|(?:an?\s+)?open[\s-]access\s+article"
    r"|(?:the\s+)?(?:publisher|journal)\s+(?:remains\s+neutral|is\s+not\s+responsible))", re.I)
NOTICE_CUES = ("published by", "rights reserved", "open access", "open-access", "licen",
                "publisher", "journal")
_BOILERPLATE_CUES = ("database record", "©", "(c)", "copyright", "published by", "rights reserved",
                     "open access", "open-access", "licen", "publisher", "journal is")


def strip_boilerplate(text: str) -> str:
    """A section's text without publisher boilerplate (copyright lines, licence notices, APA's
    database-record line); the authors' sentences are kept as written."""
    low = lower(text)
    if not has_any(low, _BOILERPLATE_CUES):
        return text
    text = _APA_RECORD.sub(" ", text)
    m = _COPYRIGHT.search(text)
    if m:
        text = text[:m.start()]
    return text.strip()


def is_notice(sentence: str) -> bool:
    return bool(_NOTICE.match(sentence))


# --------------------------------------------------------------------------- sentences

#: A sentence ends at a stop and a space before a capital, or at a stop glued to the next
#: sentence as OpenAlex rebuilds abstracts ("linked to dementia.We systematically searched"):
#: a lower-case letter (or a closing bracket, %) then the stop then a capitalised word ("…study
#: design.A protocol was developed") or a capitalised heading ("for this purpose.AIM: To …");
#: or at a stop then "; " where sections were joined into one text with their labels dropped
#: ("… was conducted.; Twenty-nine studies met …", as in the asreview CSV exports).
_SENTENCE_END = re.compile(
    r"[.!?](?:(?P<joined>;)?\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])"
    r"|(?<=[a-z)\]%][.!?])(?=[A-Z](?:[a-z]|\s[a-z])|[A-Z]{2,}(?:\s[A-Z]{2,})?:))")
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|et\s+al|vs|approx|fig|figs|no|nos|dr|ca|cf|incl|resp|ref|vol|ed|eds"
    r"|st|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)|\b[A-Z])\.$", re.I)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences (keeps "et al.", "e.g.", initials inside a sentence)."""
    text = clean(text) or ""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start:m.start() + 1]
        # a joined section's end ends its sentence even after an abbreviation
        if not m.group("joined") and _ABBREVIATION.search(piece[-8:]):
            continue
        out.append(piece)
        start = m.end()
    if text[start:]:
        out.append(text[start:])
    return out


#: Section headings written into the text, as in OpenAlex abstracts ("Study design Systematic
#: review.", "Results Nineteen studies …", "MethodsThe EMBASE …") and in MEDLINE text with
#: inline labels ("RESULTS Twelve studies …", "METHODS: The MEDLINE …").
_HEADINGS = (
    r"abstract|background|introduction|context|rationale|importance|objectives?|aims?(?:\s+and\s+"
    r"objectives?)?|purpose|goals?|(?:materials|patients|subjects)\s+and\s+methods|methods?"
    r"(?:\s+and\s+materials)?|(?:study\s+)?design(?:\s+and\s+setting)?|setting|data\s+sources?|information\s+sources"
    r"|search\s+(?:methods|strategy)|study\s+selection|(?:selection|eligibility)\s+criteria"
    r"|data\s+extraction(?:\s+and\s+synthesis)?|data\s+collection\s+and\s+analysis"
    r"|data\s+synthesis|review\s+methods|evidence\s+(?:acquisition|synthesis)|participants"
    r"|interventions|main\s+outcomes?(?:\s+and\s+measures)?|outcome\s+measures|(?:main\s+)?results?"
    r"|findings|conclusions?(?:\s+and\s+relevance)?|authors'?\s+conclusions|interpretation"
    r"|discussion|significance|implications|limitations|summary\s+of\s+background\s+data"
    r"|level\s+of\s+evidence"
)
#: (case-insensitive for the heading only: the word after it must be capitalised)
_RUN_IN = re.compile(
    rf"(?P<h>(?i:{_HEADINGS}))(?:\s*:\s*|\s+(?=[A-Z0-9\"'(])|(?<=[a-z])(?=[A-Z0-9]))")


#: A Results heading written into the text (then a count may stand without a verb).
RESULTS_HEADING = re.compile(r"\b(?:RESULTS?|Results?)(?::\s*|\s+(?=[A-Z0-9])|(?=[A-Z][a-z]))")


def run_in_heading(sentence: str) -> tuple[str | None, str]:
    """``(heading, rest)`` for a sentence opening on a section heading written into the text
    (title case or capitals, then a capitalised word or a colon), else ``(None, sentence)``."""
    m = _RUN_IN.match(sentence)
    if not m:
        return None, sentence
    heading = m.group("h")
    if not heading[0].isupper() or not (heading.isupper() or heading[1].islower()):
        return None, sentence
    return heading, sentence[m.end():]
