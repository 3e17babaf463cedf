"""What a review says about itself: type, counts, designs, databases, period, registration.

``extract_review`` reads the publication types, the title and the abstract (sentence by
sentence) and fills :class:`aggregator.records.Review`. It never guesses: a field stays
``None`` / ``[]`` unless a sentence states it in one of the recognised phrasings, and every
filled field keeps the sentence it came from in ``evidence``.

Speed matters (it runs on every record), and Python's ``re`` is slow with ``IGNORECASE`` and
with patterns that start with ``\\b`` or a look-behind. So: patterns are compiled once; most
are written in lower case and run on an ASCII-lower-cased copy of the sentence (same length,
same offsets) without ``re.I``; only acronyms that need their case (CENTRAL, PRIOR, SWiM…)
run on the sentence as written; each field's patterns run only on sentences that contain one
of its cue words (a plain substring test); and numbers written as words or with thousands
separators are rewritten to plain digits once per sentence so the counting patterns stay
simple.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Generic, NamedTuple, TypeVar

from aggregator.records import AbstractSection, Review
from aggregator.review_text import (
    NOTICE_CUES,
    RESULTS_HEADING,
    is_notice,
    run_in_heading,
    split_sentences,
    strip_boilerplate,
)
from aggregator.review_text import has_any as _has_any
from aggregator.review_text import lower as _lower
from aggregator.text import clean

__all__ = ["REVIEW_TYPES", "extract_review", "parse_count", "split_sentences", "strip_boilerplate"]

SR = "systematic_review"
MA = "meta_analysis"
SRMA = "systematic_review_and_meta_analysis"
SCOPING = "scoping_review"
UMBRELLA = "umbrella_review"
NARRATIVE = "narrative_review"
RAPID = "rapid_review"
REVIEW_TYPES = (SR, MA, SRMA, SCOPING, UMBRELLA, NARRATIVE, RAPID)

_T = TypeVar("_T")
def _lc(pattern: str) -> re.Pattern[str]:
    """A pattern written in lower case, run on ``_lower(text)`` (no ``re.I``: much faster)."""
    return re.compile(pattern)


class _Cued(NamedTuple, Generic[_T]):
    """A pattern run only when one of its cues is in the sentence. ``exact`` patterns (and
    their cues) are case-sensitive and run on the sentence as written; the others are
    lower-case and run on the lower-cased copy."""

    cues: tuple[str, ...]
    pattern: re.Pattern[str]
    value: _T
    exact: bool = False


def _cued(cues: str, pattern: str, value: _T, exact: bool = False) -> _Cued[_T]:
    return _Cued(tuple(cues.split("|")), re.compile(pattern), value, exact)


def _scan(table: Sequence[_Cued[_T]], text: str, low: str) -> list[tuple[int, int, _T]]:
    """Matches of a table's patterns, left to right; where two overlap, the leftmost, then
    the longest wins ("PubMed Central" beats "PubMed", "prospective cohort" beats "cohort")."""
    hits: list[tuple[int, int, _T]] = []
    for entry in table:
        target = text if entry.exact else low
        for cue in entry.cues:  # inlined _has_any: this loop is the hot path
            if cue in target:
                hits.extend((m.start(), m.end(), entry.value)
                            for m in entry.pattern.finditer(target))
                break
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    out: list[tuple[int, int, _T]] = []
    for hit in hits:
        if not out or hit[0] >= out[-1][1]:
            out.append(hit)
    return out


# --------------------------------------------------------------------------- type

#: PubMed publication types (lower case, trailing dot dropped) -> review type.
_PUBLICATION_TYPES = {
    "systematic review": SR,
    "meta-analysis": MA,
    "network meta-analysis": MA,
    "review": NARRATIVE,
    "scoping review": SCOPING,
    "umbrella review": UMBRELLA,
    "rapid review": RAPID,
}

#: Which types a later, more specific statement may replace (title, then abstract).
_REFINES: dict[str | None, frozenset[str]] = {
    None: frozenset(REVIEW_TYPES),
    NARRATIVE: frozenset(REVIEW_TYPES) - {NARRATIVE},
    SR: frozenset({SRMA, SCOPING, UMBRELLA, RAPID}),
    MA: frozenset({SRMA, UMBRELLA}),
    SRMA: frozenset({UMBRELLA}),
    SCOPING: frozenset(),
    UMBRELLA: frozenset(),
    RAPID: frozenset(),
}


def _merge(old: str | None, new: str | None) -> str | None:
    """Combine two statements of type: keep the more specific; SR + MA -> SRMA."""
    if new is None or new == old:
        return old
    if {old, new} == {SR, MA}:
        return SRMA
    return new if new in _REFINES[old] else old


_MA = r"meta[\s-]?analy(?:sis|ses)"
_SR = r"systematic\s+(?:literature\s+|integrative\s+|mixed[\s-]methods?\s+|qualitative\s+)?review"
_BARE = "bare"  # a lone "review": counts only in some contexts
_TYPE_PHRASES = [
    _cued("meta", rf"{_SR}\s+(?:and|with|&|/|plus|including|followed\s+by)\s+(?:an?\s+)?"
          rf"(?:[\w-]+\s+){{0,3}}?{_MA}|{_MA}\s+(?:and|with|&|/)\s+(?:an?\s+)?{_SR}", SRMA),
    _cued("umbrella|overview of|review of|meta-review",
          rf"umbrella\s+review|overview\s+of\s+(?:systematic\s+)?reviews|review\s+of\s+"
          rf"(?:systematic\s+)?reviews|{_SR}\s+of\s+(?:systematic\s+reviews|{_MA})|meta-review",
          UMBRELLA),
    _cued("scoping", r"scoping\s+(?:literature\s+)?review|scoping\s+(?:study|report)", SCOPING),
    _cued("rapid", r"rapid\s+(?:systematic\s+|evidence\s+|literature\s+)?review", RAPID),
    _cued("meta", _MA, MA),
    _cued("systematic", _SR, SR),
    _cued("narrative review|literature review|integrative review|critical review"
          "|comprehensive review|art review|mini-review|minireview|mini review",
          r"(?:narrative|literature|integrative|critical|comprehensive"
          r"|state[\s-]of[\s-]the[\s-]art|mini[\s-]?)\s*review", NARRATIVE),
    _cued("review", r"review(?<![\w-]review)", _BARE),
]
_TYPE_CUES = ("review", "meta", "systematic", "scoping")

#: Words showing a mention is someone else's review, a wish, or not a literature review.
_NOT_SELF = _lc(
    r"\b(?:previous(?:ly)?|prior|earlier|existing|recent(?:ly)?|published|other|future|further"
    r"|no|not|never|several|many|few|some|additional|more|last|another|retrospective"
    r"|prospective|chart|charts|record|records|medical|case|peer|file|files|pathology|imaging"
    r"|video|audit|need|needed)\b")
#: Up to three modifiers right before the phrase ("this updated, expanded systematic review").
_MODS = (
    r"(?P<mods>(?:(?!(?:with|of|in|on|to|by|from|than|as|is|was|are|were|be|been|has|have|an?"
    r"|the|that|which|agrees?|contrasts?|consistent|similar|like|unlike|compared|versus|vs)\b)"
    r"[\w-]+,?\s+){0,3})$"
)
_THIS_BEFORE = _lc(
    r"\b(?:this|the\s+present|the\s+current|our)\s+(?:(?:study|work|paper|article|report"
    r"|research|analysis)\s+(?:is|was|represents|constitutes|presents|reports|describes)\s+"
    rf"(?:an?|the\s+first)\s+)?{_MODS}")
_WE_BEFORE = _lc(
    r"\bwe\s+(?P<pre>(?:[\w-]+\s+){0,2})(?:conducted|performed|undertook|carried\s+out|did"
    rf"|present|report|completed|designed|updated)\s+(?:an?|this)\s+{_MODS}")
_ARTICLE_BEFORE = _lc(rf"(?:^|\b(?:an?|the)\s+){_MODS}")
_DONE_AFTER = _lc(
    r"(?:\s*\([^()]{0,40}\))?(?:\s+of\s+[^.;()]{1,100}?)?\s+(?:was|were|has\s+been|had\s+been"
    r"|is\s+being)\s+"
    r"(?:conducted|performed|undertaken|carried\s+out|completed|done)"
    r"(?!\s+(?:by|in\s+\d{4}|previously|earlier))")
_OF_RECORDS_AFTER = _lc(
    r"\s+of\s+(?:[\w-]+\s+){0,2}?(?:records|charts|files|notes|cases|patients)\b")
#: The article's aim is to do the review: "The aim of the current study was to provide a
#: systematic review of …", or under an aim label "AIM: To perform an updated meta-analysis".
_AIM_BEFORE = _lc(
    r"\b(?:aim|objective|purpose|goal)s?\s+of\s+(?:this|the\s+present|the\s+current|our)\s+"
    r"(?:study|work|paper|article|review|analysis|report)\s+(?:was|is)\s+to\s+(?:[\w-]+\s+){0,2}?"
    rf"(?:perform|conduct|provide|undertake|carry\s+out|present|report|do)\s+(?:an?\s+){_MODS}")
_AIM_OPENING = _lc(
    r"^to\s+(?:perform|conduct|provide|undertake|carry\s+out|present|report|do)\s+(?:an?\s+)?"
    rf"{_MODS}")
_AIM_LABEL = re.compile(r"aims?|objectives?|purposes?|goals?", re.I)
_SYSTEMATICALLY_REVIEWED = _lc(r"\bwe\s+(?:have\s+)?systematically\s+reviewed\b")
_LEADING_ARTICLE = _lc(r"(?:an?\s+)?")
_DESIGN_LABEL = re.compile(r"design|methods?|study\s+type|type\s+of\s+(?:study|review)", re.I)
_BACKGROUND_LABEL = re.compile(r"background|introduction|context|rationale", re.I)

_TITLE_SKIP = _lc(
    r"\b(?:protocol|how\s+to|guide\s+(?:to|for)|step[\s-]by[\s-]step|guidance|tutorial|primer"
    r"|comment|reply|response"
    r"|erratum|correction|retraction|retracted|quality\s+of|reporting\s+of|appraisal\s+of|appraising"
    r"|methodolog\w*)\b")
_CASE_REPORT_REVIEW = _lc(
    r"case\s+(?:report|series)\s+and\s+(?:a\s+)?(?:literature\s+review|review\s+of)")
#: "Review of …" with or without an article ("Review of current therapies"), but not a review
#: of records or cases (a chart review).
_TITLE_REVIEW = _lc(
    r"\breview\s+of\s+the\s+literature|:\s*an?\s+review\b|^(?:an?\s+)?(?:brief\s+|short\s+"
    r"|concise\s+|critical\s+|updated\s+)?review\s+of\b(?!\s+(?:[\w-]+\s+){0,2}?(?:records|charts"
    r"|files|notes|cases|patients)\b)")


#: A type phrase used as a modifier of a noun names the method, not the article: "students in
#: the systematic review process", "librarian time spent on systematic review tasks".
_ATTRIBUTIVE = _lc(
    r"[\s-]+(?:process(?:es)?|tasks?|methods?|methodolog\w*|software|tools?|automation"
    r"|production|teams?|authors?|workflows?|training|services?|support|courses?|education"
    r"|librarians?|searche?s?|searching|skills?|competenc\w*|experience|projects?|steps?"
    r"|stages?|workload|literacy)\b")


def _phrases(low: str) -> list[tuple[int, int, str]]:
    """Each singular type phrase (start, end, type or "bare"); "reviews", "reviewed",
    "reviewers" are skipped, and so is a phrase modifying a noun ("systematic review tasks")."""
    return [h for h in _scan(_TYPE_PHRASES, low, low)
            if not low[h[1]:h[1] + 1].isalpha() and not _ATTRIBUTIVE.match(low, h[1])]


def _type_from_publication_types(pts: Iterable[str]) -> tuple[str | None, list[str]]:
    kind: str | None = None
    names: list[str] = []
    for pt in pts:
        name = (clean(pt) or "").rstrip(".")
        merged = _merge(kind, _PUBLICATION_TYPES.get(name.lower()))
        if merged != kind:
            names = [*names, name] if merged == SRMA and kind in (SR, MA) else [name]
            kind = merged
    return kind, names


def _type_from_title(title: str | None) -> str | None:
    if not title:
        return None
    low = _lower(title)
    if _TITLE_SKIP.search(low) or _CASE_REPORT_REVIEW.search(low):
        return None
    found: str | None = None
    for start, end, kind in _phrases(low):
        # a bare "review" word counts only in the forms of _TITLE_REVIEW; all the others are
        # combined ("Systematic review of X: a meta-analysis" -> SR + MA)
        if kind != _BARE and not low[start:end].endswith("analyses"):
            found = _merge(found, kind)
    if found:
        return found
    return NARRATIVE if _TITLE_REVIEW.search(low) else None


def _self_type(label: str | None, low: str) -> str | None:
    """The review type a (lower-cased) sentence says the article itself is, else ``None``."""
    kind: str | None = None
    background = bool(label and _BACKGROUND_LABEL.search(label))
    design_label = bool(label and _DESIGN_LABEL.search(label)) and not background
    lead = _LEADING_ARTICLE.match(low)
    lead_end = lead.end() if lead else 0
    for start, end, found in _phrases(low):
        if _OF_RECORDS_AFTER.match(low, end):
            continue  # "a review of medical records", "a review of 12 cases"
        bare = found == _BARE
        window = max(0, start - 90)
        prefix = low[:start]
        mods: list[str] = []
        if design_label and start == lead_end and (not bare or low.startswith(" of", end)):
            mods.append("")  # "DESIGN: Systematic review and meta-analysis.", "Review of …"
        if not low[start:end].endswith("analyses"):
            this = _THIS_BEFORE.search(prefix, window)
            if this:
                mods.append(this.group("mods"))
            we = _WE_BEFORE.search(prefix, window)
            if we and not bare and not _NOT_SELF.search(we.group("pre")):
                mods.append(we.group("mods"))
            aim = _AIM_BEFORE.search(prefix, window)
            if aim and not bare:
                mods.append(aim.group("mods"))
        if not background and not bare and _DONE_AFTER.match(low, end):
            article = _ARTICLE_BEFORE.search(prefix, window)
            if article:
                mods.append(article.group("mods"))
        if any(not _NOT_SELF.search(m) for m in mods):
            kind = _merge(kind, NARRATIVE if bare else found)
    if kind is None and "systematically" in low and _SYSTEMATICALLY_REVIEWED.search(low):
        kind = SR
    return kind


def _aim_type(label: str | None, low: str) -> str | None:
    """The review type an aim names, under an aim label ("AIM: To perform an updated
    meta-analysis …"): what was meant, the weakest wording, used only where nothing else (the
    publication types, the title, another sentence) types the article."""
    if not (label and _AIM_LABEL.fullmatch(label.strip())):
        return None
    for start, _, found in _phrases(low):
        if found != _BARE and _AIM_OPENING.match(low[:start]) and not _NOT_SELF.search(
                _AIM_OPENING.match(low[:start]).group("mods")):
            return found
    return None


# --------------------------------------------------------------------------- numbers

_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_VALUES = {w: i + 1 for i, w in enumerate(_UNITS)}
_WORD_VALUES.update({w: i + 10 for i, w in enumerate(_TEENS)})
_WORD_VALUES.update({w: (i + 2) * 10 for i, w in enumerate(_TENS)})
_NUMBER_WORD_SET = frozenset(_WORD_VALUES) | {"hundred", "thousand"}
_NOT_LETTERS = str.maketrans({c: " " for c in "-,.;:()[]\"'"})

_U = "|".join(_UNITS)
_B100 = rf"(?:(?:{'|'.join(_TENS)})(?:[-\s](?:{_U}))?|{'|'.join(_TEENS)}|{_U})"
_B1000 = rf"(?:(?:{_U})[-\s]hundred(?:\s+(?:and\s+)?{_B100})?|{_B100})"
_WORDS = rf"(?:{_B1000}\s+thousand(?:\s+(?:and\s+)?{_B1000})?|{_B1000})"
_NUMBER_WORDS = _lc(rf"\b{_WORDS}\b")
_GROUPED_CUE = re.compile(r"\d[, \u00a0\u2009\u202f]\d{3}")
_GROUPED_DIGITS = re.compile(
    r"(?<![\d.,])\d{1,3}(?:(?:,\d{3})+|(?:[ \u00a0\u2009\u202f]\d{3})+)(?!\d|[.,]\d)")
_SEPARATORS = re.compile(r"[,\s\u00a0\u2009\u202f]")
_MILLION = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)\s+million\b")
_WORD_SPLIT = re.compile(r"[-\s]+")


def parse_count(token: str) -> int | None:
    """``"2,345"``, ``"2 345"``, ``"Twelve"``, ``"one hundred and five"`` -> int, else None."""
    t = token.strip().lower()
    if not t:
        return None
    if t[0].isdigit():
        digits = _SEPARATORS.sub("", t)
        return int(digits) if digits.isdigit() else None
    total = current = 0
    for word in _WORD_SPLIT.split(t):
        if word == "and":
            continue
        if word == "hundred":
            current *= 100
        elif word == "thousand":
            total += current * 1000
            current = 0
        elif word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        else:
            return None
    return total + current or None


_DIGITS = tuple("0123456789")


def _has_number(low: str) -> bool:
    """Whether a (lower-cased) sentence holds a digit or a number word."""
    return _has_any(low, _DIGITS) or _has_number_word(low)


def _has_number_word(low: str) -> bool:
    # translate is fast only on ASCII text: other characters become "?" first (no number word
    # holds one)
    if not low.isascii():
        low = low.encode("ascii", "replace").decode("ascii")
    return not _NUMBER_WORD_SET.isdisjoint(low.translate(_NOT_LETTERS).split())


def _digits_only(low: str) -> str:
    """The (lower-cased) sentence with "twelve" -> "12", "2,345" / "2 345" -> "2345" and
    "1.2 million" -> "1200000"."""
    if "million" in low:
        low = _MILLION.sub(lambda m: str(round(float(m.group(1)) * 1_000_000)), low)
    if _has_number_word(low):
        low = _NUMBER_WORDS.sub(lambda m: str(parse_count(m.group(0))), low)
    if _GROUPED_CUE.search(low):
        low = _GROUPED_DIGITS.sub(lambda m: _SEPARATORS.sub("", m.group(0)), low)
    return low


#: A plain count (after ``_digits_only``): not part of a decimal, a percentage or a range.
#: It starts with a character class and checks the character before afterwards: fast.
_N = r"[0-9](?<![\w.,/-][0-9])\d*(?![\w%]|[.,]\d|\s*%|\s*percent)"
_STUDY = (
    r"(?:stud(?:y|ies)|trials?|rcts?|articles?|publications?|papers?|reports?|cohorts?"
    r"|(?:systematic\s+)?reviews(?:\s+and\s+meta-analyses)?|meta-analyses|datasets?|series"
    r"|manuscripts?|researches|sources\s+of\s+evidence|evidence\s+sources)\b"
)
_PART = (
    r"(?:(?:out|in)?patients?|participants?|subjects?|individuals?|people|persons?|women|men|children"
    r"|adolescents?|adults?|infants?|neonates?|newborns?|volunteers?|respondents?|cases"
    r"|nurses|physicians|clinicians|doctors|workers|employees|students|athletes|veterans"
    r"|smokers|survivors|users|mothers|caregivers|carers|residents|girls|boys|youths?"
    r"|pregnancies|births|parents|families)\b"
)
_STOP = (
    r"(?:of|and|or|to|were|was|are|is|from|with|in|that|which|who|including|involving|at|by"
    r"|for|on|the|an?|these|those|than|per|each|records?|citations?|hits|abstracts?|titles?"
    rf"|{_PART})"
)
#: Up to four describing words between a count and its noun ("6 retrospective cohort studies").
_ADJ = rf"(?:(?!{_STOP}\b)[a-z][\w'/-]*,?\s+){{0,4}}?"
_PAREN = r"(?:\s*\([^()]{0,120}\))?"
#: In a list of counts the describing words are taken greedily (the longest noun phrase) and
#: the whole list is an atomic group: no costly backtracking when no verb follows.
#: An item may carry its own participants ("16 randomized trials (…), enrolling 1427 patients,
#: and 8 observational studies (…) of 1190 patients"): not counted as studies (_sum_list).
_ITEM_PEOPLE = (
    rf"(?:,?\s+(?:enrolling|involving|including|comprising|totaling|totalling|with|of)\s+"
    rf"(?:a\s+total\s+of\s+)?{_N}\s+{_ADJ}{_PART}{_PAREN}(?=[,.;]|\s+and\b|\s+(?:were|was)\b|$))?"
)
_ONE_COUNT = rf"{_N}\s+(?:(?!{_STOP}\b)[a-z][\w'/-]*,?\s+){{0,4}}{_STUDY}{_PAREN}{_ITEM_PEOPLE}"
_AND = r"\s*(?:,\s*and|,|and)\s+"
#: "14 prospective cohort, 6 case-control and 3 cross-sectional studies" counts 23.
#: An elliptic item's words describe the studies; a verb of the selection ends the list
#: ("From 191 articles screened, 43 studies met …" is no list of 234).
_LEAD_WORD = (
    rf"(?!(?:{_STOP}|screened|identified|retrieved|excluded|assessed|found|searched)\b)"
    r"[a-z][\w'/-]*")
_LIST = (
    rf"(?:{_N}\s+(?:{_LEAD_WORD}\s+){{0,2}}?{_LEAD_WORD}{_AND})*"
    rf"{_ONE_COUNT}(?:{_AND}{_ONE_COUNT})*"
)
_COUNT_IN_LIST = _lc(_N)
#: What may stand between the counted studies and their verb: a phrase ("involving 2345
#: patients", "examining aspects of the NSI", "that met …") and up to three comma-delimited
#: clauses, brackets allowed (", published between 1995 and 2020,", ", including RCTs, non-
#: randomized trials, or case-control studies,"): "Thirty studies examining aspects of the
#: NSI, published between 1995 and 2020, were reviewed".
_BETWEEN = (
    r"(?:\s+(?:involving|including|with|comprising|enrolling|enrolled|of|totaling"
    r"|totalling|representing|encompassing|covering|on|in|from)\s+[^.;,]{1,100}?"
    # a describing phrase holds no count of studies: "15 publications reporting on 13 trials"
    # counts 13, "Fifteen studies conducted in 10 US states met inclusion criteria" counts 15
    r"|\s+(?:about|regarding|concerning|addressing|examining|investigating|evaluating|assessing"
    r"|exploring|reporting|describing|comparing|focusing|conducted|published|performed"
    r"|presenting)\s+"
    rf"(?:[^.;,\d]|\d(?![\d\s]*(?:[a-z][\w'/-]*\s+){{0,3}}?{_STUDY})){{1,100}}?"
    # the participants beside the studies: "12 studies and 2287 patients were included"
    rf"|,?\s+and\s+{_N}\s+{_ADJ}{_PART}{_PAREN}"
    r")?(?:(?:\s*,(?:[^.;,()]|\([^()]{0,120}\)){1,100}){1,3},)?"
)
_CRITERIA = (
    r"(?:met|fulfilled|satisfied|meeting|fulfilling|satisfying|fitting|fitted)\s+(?:the\s+|our\s+|all\s+"
    r"(?:the\s+)?|predefined\s+|pre-specified\s+)?(?:(?:inclusion|eligibility|selection)"
    r"(?:\s+and\s+exclusion)?\s+criteria|criteria\s+for\s+inclusion"
    r"|criteria\s+(?:of|for)\s+(?:the\s+present|the\s+current|this|our)\s+"
    r"(?:review|study|analysis|meta-analysis)|(?:our|these|the\s+above)\s+criteria)"
)
#: "eligible for full-text review" is screening: the records still to be read, not included.
_NOT_SCREENING = (
    r"(?!\s+for\s+(?:a\s+|the\s+)?(?:full[\s-]?texts?|further|detailed|closer|screening"
    r"|assessment|evaluation|retrieval|abstract|title|eligibility))"
)
_INCLUDED = (
    # "12 studies could be identified that met the inclusion criteria"
    r"(?:(?:could\s+be|were|was|have\s+been)\s+(?:identified|found)\s+(?=(?:that|which)\s+met\b))?"
    r"(?:(?:that|which)\s+)?(?:(?:were|was|have\s+been|had\s+been|are|is)\s+)?"
    r"(?:(?:finally|ultimately|eventually|also|subsequently|thus|therefore)\s+)?"
    rf"(?:included|(?:(?:found|considered|judged|determined\s+to\s+be)\s+)?eligible{_NOT_SCREENING}"
    r"|retained|analy[sz]ed|pooled|meta-analy[sz]ed|synthesi[sz]ed"
    r"|(?:finally|ultimately|eventually)\s+selected(?!\s+for\s+(?:full|further|screening))"
    r"|(?:selected|suitable|chosen)\s+for\s+(?:inclusion|(?:the\s+)?(?:final\s+)?(?:analysis"
    r"|review|meta-analysis|synthesis))|selected\s+and\s+included|represented\s+the\s+best"
    rf"\s+evidence|{_CRITERIA}|qualified\s+for\s+inclusion|deemed\s+eligible{_NOT_SCREENING}"
    r"|contributed"
    r"|reviewed(?!\s+(?:for|in\s+full|independently|by|against|to)\b))\b"
)
_STUDY_PATTERNS = [
    # "6 retrospective cohort studies were included", "12 rcts (n = 1234) met the criteria"
    # (a comma before the verb only before a passive or "met": "12 studies, involving 827
    # patients (…), were analyzed", "53 clinical trials (…) involving 24089 patients, met the
    # criteria for inclusion", not "none, except one case report, included cardiac MRI")
    _lc(rf"(?P<list>(?>{_LIST})){_BETWEEN}(?:,(?=\s*(?:were|was|have\s+been|had\s+been|met)\b))?"
        rf"\s*{_INCLUDED}"),
    # "we included 12 rcts", "the meta-analysis included 14 trials and 2 cohort studies",
    # "the final sample consisted of 14 studies", "data were extracted from 47 trials"
    _lc(r"\b(?:included|includes|include|analy[sz]ed|pooled|synthesi[sz]ed|comprised"
        r"|encompassed|consisted\s+of|abstracted|data\s+(?:were|was)\s+(?:extracted|abstracted"
        r"|pooled)\s+from)\s+(?:data\s+(?:from|of|on)\s+"
        rf"|a\s+total\s+of\s+|results\s+(?:from|of)\s+)?(?P<list>(?>{_LIST}))"),
    # "of these, 12 met the inclusion criteria"
    _lc(rf"\bof\s+(?:which|these|them|those)\s*,?\s+(?P<list>{_N})\s+(?:{_ADJ}{_STUDY}\s+)?"
        rf"{_INCLUDED}"),
    # "found 7 publications that included 118 patients", "identified 12 eligible trials"
    _lc(r"\b(?:identified|found|yielded|retrieved|obtained|located|selected|revealed)\s+"
        r"(?:a\s+total\s+of"
        rf"\s+)?(?P<list>{_N})\s+(?:eligible\s+{_ADJ}{_STUDY}|{_ADJ}{_STUDY}{_PAREN},?\s+"
        rf"(?:(?:that|which)\s+)?(?:{_CRITERIA}|(?:included|involved|enrolled|comprised"
        rf"|comprising|including|involving|enrolling|with|totaling|totalling|of)\s+"
        rf"(?:a\s+total\s+of\s+)?{_N}\s+{_ADJ}{_PART}))"),
    # "1234 records were screened and 12 were included" (the noun left out), "15662 citations
    # were found, and 40 addressing the risks were included", "of which 19 represented the
    # best evidence"
    _lc(rf"(?:,|;|\band|\bof\s+(?:which|these|them|those))\s+(?P<list>{_N})\s+(?:(?:addressing"
        r"|examining|investigating|evaluating|assessing|reporting|describing|comparing"
        r"|focusing|meeting|fulfilling)\s+[^.;,]{1,80}?\s+)?(?:(?:were|was)\s+(?:finally\s+"
        rf"|ultimately\s+)?(?:included|retained|eligible{_NOT_SCREENING})"
        rf"|represented\s+the\s+best\s+evidence|{_CRITERIA})\b"
        # "We identified 35 reports, 17 of which met the inclusion criteria"
        rf"|(?:,|;|\band)\s+(?P<list2>{_N})\s+of\s+(?:which|these|them|those)\s+{_INCLUDED}"),
    # "(k = 12)"
    _lc(rf"\bk\s*=\s*(?P<list>{_N})"),
    # "a meta-analysis of 17 cohort studies" (only in a sentence naming this review's type)
    # "… a systematic review of X, comparing trial design between 147 animal and 512 human
    # studies"
    _lc(rf"(?:{_MA}|review)\s+of\s+(?:data\s+from\s+|the\s+)?(?P<list>(?>{_LIST}))"
        rf"|\bcompar\w+\s+[^.;]{{0,60}}?\bbetween\s+(?P<list2>(?>{_LIST}))"),
    # "resulting in the inclusion of 42 papers"
    _lc(rf"\b(?:inclusion|retention)\s+of\s+(?:a\s+total\s+of\s+)?(?P<list>(?>{_LIST}))"),
    # "The 23 included studies reported on 2055 patients" (the count names them included; with
    # its article: "Seven included studies reported mortality" may be a subset)
    _lc(rf"\b(?:the|all|these|our)\s+(?P<list>{_N})\s+included\s+{_ADJ}{_STUDY}"),
    # "63,758 unique records from which 257 relevant studies were identified": what the
    # records gave is the final set
    _lc(rf"\b(?:records|citations|hits|references|articles)\s+from\s+which\s+(?P<list>{_N})\s+"
        rf"{_ADJ}{_STUDY}\s+(?:were|was)\s+(?:identified|selected|included|retained)\b"
        r"(?!\s+(?:for|as)\b)"),
]
_ACTIVE = 1
_OWN_TYPE_ONLY = 6
_ELIDED = 4
_K = 5
#: More than one "k =" in a sentence: per-analysis numbers of studies, not the total.
_K_ANY = _lc(r"\bk\]?\s*=")
#: The subject of "comprised" / "consisted of" is what was counted: a search's results are
#: records found, not studies included.
_SEARCH_SUBJECT = _lc(
    r"\b(?:search(?:es)?|results|hits|records|retrieved|initial(?:ly)?|strateg(?:y|ies))\s+"
    r"(?:[\w-]+\s+){0,2}?$")
_STUDY_CUES = ("includ", "inclusion", "eligib", "criteria", "retain", "analy", "pooled",
               "synthesi", "reviewed", "contribut", "compris", "encompass", "identif", "found",
               "yield", "retriev", "obtain", "locat", "select", "k =", "k=", "reveal",
               "abstracted", "consist", "extracted from")
_ELIDED_NOUN = _lc(rf"\b(?:{_STUDY}|records?|citations?|full[\s-]texts?|{_PART})")
_PART_RE = _lc(_PART)

_PART_NOT_AFTER = (
    r"(?!\s+(?:or\s+(?:more|fewer|less|older|younger)|and\s+(?:above|over|older)|per\b|each\b"
    r"|on\s+average|at\s+least))"
)
#: Participants in groups side by side ("2891 patients and 464 parents"); after a first group
#: of people a coordinated count is of people too, whatever its noun ("140 volunteers and 467
#: PwHA"), unless the noun is plainly not people.
_NOT_PEOPLE = (
    rf"(?:{_STUDY}|countries|centres|centers|sites|hospitals|outcomes|years|months|weeks|days"
    r"|events|samples|variables|measures|regions|states|cities|records|citations)\b"
)
_GROUPS = (
    rf"{_N}\s+{_ADJ}{_PART}(?:{_AND}{_N}\s+(?:{_ADJ}{_PART}|(?!{_NOT_PEOPLE})[a-z][\w-]*\b"
    r"(?!\s+(?:per|each)\b)))*"
)
_HEAD = (
    rf"(?:{_N}\s+{_ADJ}{_STUDY}|\b(?:the|these|all|included|eligible)\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?:studies|trials|rcts|articles|publications|papers|reports|cohorts|reviews))"
)
#: When a participants pattern may be used: always, in a sentence about inclusion, or only
#: in a sentence that also counted the included studies.
_ALWAYS, _INCLUSION, _COUNTED = 0, 1, 2
#: Another group of people later in the same bracket: "(944 adults received an active
#: intervention, 413 were controls)" — the first group is not the total.
_MORE_GROUPS = rf",\s*(?:and\s+)?\d+\s+(?:[\w-]+\s+){{0,2}}?(?:were|was|{_PART})"
_PARTICIPANT_PATTERNS = [
    # "a total of 1189 patients from 6 retrospective cohort studies were included"
    (_lc(rf"(?P<p>{_N})\s+{_ADJ}{_PART}{_PAREN}(?:\s+(?:from|in|across|within|enrolled\s+in"
         rf"|participating\s+in|of)\s+(?:the\s+)?(?:{_N}\s+)?{_ADJ}{_STUDY}{_PAREN})?,?\s+"
         r"(?:(?:were|was|are|had\s+been|have\s+been)\s+(?:finally\s+|ultimately\s+|also\s+)?"
         rf"(?:included|analy[sz]ed|pooled|eligible{_NOT_SCREENING})|{_CRITERIA})\b"), _ALWAYS),
    # "7 publications that included 118 patients", "12 rcts with a total of 2345 participants"
    (_lc(rf"{_HEAD}{_PAREN},?\s*(?:(?:that|which)\s+)?(?:included|including|involved|involving"
         r"|enrolled|enrolling|comprised|comprising|with|totaling|totalling|encompassing"
         r"|covering|representing|recruited|of)\s+(?:data\s+(?:from|on|of)\s+|a\s+total\s+of\s+"
         rf"|a\s+combined\s+|overall\s+)?(?P<groups>{_GROUPS}){_PART_NOT_AFTER}"), _INCLUSION),
    # "the 15 included studies reported on data for 140 volunteers and 467 PwHA" (all of them:
    # "seven studies reported on 118 patients" may be a subset)
    (_lc(rf"\b(?:the|all|these)\s+{_N}\s+included\s+{_ADJ}{_STUDY}\s+report(?:ed|ing)\s+on\s+"
         rf"(?:data\s+(?:from|on|of|for)\s+)?(?P<groups>{_GROUPS}){_PART_NOT_AFTER}"), _INCLUSION),
    # "12 studies (n = 2345)", "12 trials (2345 participants)"
    (_lc(rf"{_N}\s+{_ADJ}{_STUDY}\s*\(\s*(?:(?:total\s+)?n\s*=\s*(?P<p>{_N})|"
         rf"(?P<p2>{_N})\s+{_ADJ}{_PART}{_PART_NOT_AFTER})(?![^()]*{_MORE_GROUPS})[^()]*\)"),
     _INCLUSION),
    # "105 studies were included, comprising 23456 participants" (after a count of studies);
    # groups side by side are summed ("representing 2891 patients and 464 parents")
    (_lc(r"(?:,\s*|\s+)(?:comprising|involving|including|enrolling|with|totaling|totalling"
         r"|encompassing|representing|covering)\s+(?:data\s+(?:from|on|of)\s+|a\s+total\s+of\s+)?"
         rf"(?P<groups>{_N}\s+{_ADJ}{_PART}(?:{_AND}{_N}\s+{_ADJ}{_PART})*){_PART_NOT_AFTER}"),
     _COUNTED),
    # "… were included for recent and 20 for previous definitions, involving 211502
    # participants" (a clause on the included studies, no single count of them)
    (_lc(r"\b(?:were|was)\s+(?:finally\s+)?included\b[^.;]{0,100}?,\s*(?:involving|comprising"
         r"|including|enrolling|totaling|totalling|representing|encompassing|covering)\s+"
         rf"(?:a\s+total\s+of\s+)?(?P<p>{_N})\s+{_ADJ}{_PART}{_PART_NOT_AFTER}"), _INCLUSION),
    # active voice: "we analyzed data from 45 patients", "we included 1234 participants"
    (_lc(r"\bwe\s+(?:(?:then|finally|also|ultimately)\s+)?(?:analy[sz]ed|included|pooled"
         r"|synthesi[sz]ed)\s+(?:(?:individual\s+)?(?:patient\s+)?data\s+(?:from|on|of)\s+"
         rf"|a\s+total\s+of\s+)?(?P<p>{_N})\s+{_ADJ}{_PART}{_PART_NOT_AFTER}"), _ALWAYS),
    # "total sample size of 2345", "the pooled sample comprised 2345 participants"
    (_lc(rf"\b(?:total|pooled|combined|cumulative|overall)\s+(?:sample(?:\s+size)?|number\s+"
         rf"of\s+{_PART}|population)\s+(?:was|of|=|:|comprised|included|totall?ed)\s+"
         rf"(?:a\s+total\s+of\s+)?(?P<p>{_N})"), _ALWAYS),
    # "the pooled analysis included 1200000 women"
    (_lc(r"\b(?:pooled|combined|overall|total|final)\s+(?:analysis|meta-analysis|dataset)\s+"
         r"(?:included|comprised|involved|contained|covered)\s+(?:a\s+total\s+of\s+|data\s+"
         rf"(?:from|on)\s+)?(?P<p>{_N})\s+{_ADJ}{_PART}{_PART_NOT_AFTER}"), _ALWAYS),
]
_K_AND_N = _lc(r"\bk\s*=\s*\d+.*?\bn\s*=\s*(?P<p>\d+)(?![\d.])")
_PARTICIPANT_CUES = ("patient", "participant", "subject", "individual", "people", "person",
                     "women", "men", "child", "adolescent", "adult", "infant", "neonate",
                     "newborn", "volunteer", "respondent", "case", "sample", "population",
                     "n =", "n=", "nurse", "physician", "clinician", "doctor", "worker",
                     "employee", "student", "athlete", "veteran", "smoker", "survivor", "user",
                     "mother", "carer", "caregiver", "resident", "girl", "boy", "youth",
                     "pregnanc", "birth")
_INCLUSION_CUES = ("included", "inclusion", "eligib", "pooled", "analy", "retained", "synthesi",
                   "identified", "found", "comprised", "involving", "enrolling")

#: Someone else's review or a cited result: counts and designs there are not this review's.
_PRIOR = _lc(
    r"\b(?:previous(?:ly)?|prior|earlier|existing|recent(?:ly)?|former|past|other|older"
    rf"|published|last)\s+(?:[\w-]+\s+){{0,2}}?(?:{_SR}s?|reviews?|{_MA})\b|\bet\s+al\b")
_PRIOR_CUES = ("review", "meta", "et al")
#: … unless those reviews are what this one sought or read: "concentrating on recent
#: systematic reviews", "to identify published meta-analyses".
_SOUGHT_BEFORE = _lc(
    r"\b(?:identify|identified|identifying|include|included|concentrat\w*\s+on"
    r"|focus(?:ed|ing)?\s+on|search(?:ed|ing)?\s+for|retriev\w*|select\w*|sought)\s+"
    r"(?:(?:the|all)\s+)?$")


#: … or the last source of a search's list: "identified from PubMed, …, OpenGrey (1980 to
#: January 2019), and recent reviews.", "MEDLINE searches and previous meta-analyses for 1980
#: to 1995." (their reference lists were read, as a database is).
_SOURCE_LIST_BEFORE = _lc(r"(?:,\s*(?:and|or)?|\band|\bor)\s+(?:the\s+)?$")
_SOURCE_LIST_AFTER = _lc(
    r"(?:\s+(?:for|from|between|since|until|up\s+to|\()[^.;]{0,30}?(?:19|20)\d\d\)?)?\s*(?:[.;]|$)")


def _is_prior(low: str) -> bool:
    """Whether a (lower-cased) sentence speaks of someone else's review or a cited result."""
    if not _has_any(low, _PRIOR_CUES):
        return False
    for m in _PRIOR.finditer(low):
        if m.group(0) == "et al":
            return True
        if _SOUGHT_BEFORE.search(low, max(0, m.start() - 40), m.start()):
            continue
        if (_SOURCE_LIST_BEFORE.search(low, max(0, m.start() - 12), m.start())
                and _SOURCE_LIST_AFTER.match(low, m.end()) and _SEARCH_CONTEXT.search(low)):
            continue
        return True
    return False


#: A bound, not a count: "at least 50 adults", "more than 10 studies".
_BOUND_BEFORE = _lc(
    r"(?:at\s+least|at\s+most|more\s+than|fewer\s+than|less\s+than|over|under|up\s+to|minimum"
    r"\s+of|maximum\s+of|[\u2265\u2264<>]|>=|<=)\s*$")


#: Describing words of records being screened, not of included studies.
_SCREENING_WORDS = _lc(
    r"\b(?:full[\s-]?texts?|potentially|potential|candidate|possibly|possible)\b")

#: Last resort, when no sentence states the included studies: "A total of 9 studies were
#: identified", "we identified 25 articles related to …" — the final set, as long as the
#: sentence says nothing of a search or of screening (then it counts records, not studies).
_IDENTIFIED = _lc(
    rf"(?P<list>{_N})\s+{_ADJ}(?:stud(?:y|ies)|articles?|papers?|publications?|trials?|rcts?"
    r"|reports?)(?:\s+(?:involving|including|enrolling|comprising|with)\s+(?:a\s+total\s+of\s+)?"
    rf"{_N}\s+{_ADJ}{_PART})?\s+(?:were|was|have\s+been|had\s+been)\s+identified\b"
    r"(?!\s+(?:through|via|by"
    rf"|from|in|using))|\bidentified\s+(?:a\s+total\s+of\s+)?(?P<list2>{_N})\s+{_ADJ}"
    r"(?:stud(?:y|ies)|articles?|papers?|publications?|trials?|rcts?|reports?)\b")
_IDENTIFIED_NOT = _lc(
    r"\b(?:search\w*|screen\w*|databases?|records?|citations?|hits|titles?|abstracts?|initial"
    r"|initially|retrieved|potentially|potential|possible|possibly|full[\s-]?texts?|duplicates?"
    r"|excluded|after)\b")


#: An abstract telling its selection (screening, full texts, exclusions): what it "identified"
#: is where the selection started, so the last-resort count is not used. (Not "All excluded
#: subjects with renal disease": the trials' own exclusions.)
_SELECTION_FLOW = _lc(
    r"\bscreen\w*|\bfull[\s-]?texts?\s+(?:articles?|papers?|reports?|were|was|screen\w*|review\w*"
    r"|assess\w*)|\b(?:were|was|been|being)\s+excluded\b|\bexcluded\s+(?:\d|stud|trials|articles"
    r"|records|papers|reports|citations|publications)|\bduplicates?\b")


#: A selection told with its numbers: "1234 records were screened", "we excluded 40 studies".
_COUNTED_FLOW = _lc(
    r"\d+\s+(?:[\w-]+\s+){0,3}?(?:records|citations|hits|articles|studies|titles|abstracts|texts"
    r"|reports|papers|publications|trials)\b[^.;]{0,40}?\b(?:screened|excluded|retrieved|assessed"
    r"|removed)\b|\b(?:screened|excluded|retrieved|assessed|removed)\s+(?:a\s+total\s+of\s+)?\d+")


def _identified_in(digits: str) -> int | None:
    """The final set a sentence says was identified, when it says nothing of searching."""
    if "identified" not in digits or _IDENTIFIED_NOT.search(digits) or _TOPIC_COUNTS.search(digits):
        return None
    m = _IDENTIFIED.search(digits)
    if not m:
        return None
    group = "list" if m.group("list") else "list2"
    return None if _bounded(digits, m.start(group)) else int(m.group(group))


def _bounded(text: str, start: int) -> bool:
    """A bound ("more than 10 studies") or a label ("phase 3 trials"), not a count."""
    return bool(_BOUND_BEFORE.search(text, max(0, start - 16), start)
                or _LABEL_BEFORE.search(text, max(0, start - 12), start))


#: A number naming a kind, not counting: "Phase 3 randomized clinical trials", "stage 2 cases".
_LABEL_BEFORE = _lc(r"\b(?:phase|grade|stage|level|class|type|step|version|generation)\s*$")


_PEOPLE_COUNT = _lc(rf"(?P<p>{_N})\s+{_ADJ}{_PART}")


def _sum_list(span: str) -> int | None:
    """The total of a list of counts: "12 rcts and 3 cohort studies" -> 15 (the items' own
    participants, "16 trials, enrolling 1427 patients, and …", are not counted)."""
    return _sum_counts(_PEOPLE_COUNT.sub(" ", span))


def _sum_counts(span: str) -> int | None:
    """The total of the counts in a span, bracketed asides left out."""
    span = re.sub(r"\([^()]*\)", " ", span)
    return sum(int(m.group(0)) for m in _COUNT_IN_LIST.finditer(span)) or None


_BRACKET = re.compile(r"\([^()]*\)")
#: Participants in an item's brackets: "16 trials (n = 1427)", "12 trials (2345 participants)".
_BRACKET_PEOPLE = _lc(rf"^\(\s*(?:(?:total\s+)?n\s*=\s*(?P<n>{_N})|(?P<p>{_N})\s+{_ADJ}{_PART})")


_MORE_GROUPS_RE = _lc(_MORE_GROUPS)


_FIRST_ITEM = _lc(
    rf"{_N}\s+(?:(?!{_STOP}\b)[a-z][\w'/-]*,?\s+){{0,4}}{_STUDY}(?P<paren>{_PAREN})"
    rf"(?P<people>{_ITEM_PEOPLE})")


def _list_people(span: str) -> tuple[int | None, bool]:
    """``(total, partial)``: the participants of a list whose every item gives its own ("16
    trials (…), enrolling 1427 patients, and 8 observational studies (…) of 1190 patients" ->
    2617; "16 trials (n = 1427) and 8 cohort studies (n = 1190)" -> 2617); ``partial``: some
    items give theirs and others not (then no total is stated)."""
    bracketed = [int(inner.group("n") or inner.group("p")) for m in _BRACKET.finditer(span)
                 if (inner := _BRACKET_PEOPLE.match(m.group(0)))
                 and not _MORE_GROUPS_RE.search(m.group(0), inner.end())]
    plain = _BRACKET.sub(" ", span)
    phrased = [int(m.group("p")) for m in _PEOPLE_COUNT.finditer(plain)]
    items = len(_COUNT_IN_LIST.findall(plain)) - len(phrased)  # the counts of studies
    people = bracketed + phrased
    if not people:
        return None, False
    if len(people) == items:
        return sum(people), False
    # the first item's own participants, and not the others': no total. People after the last
    # item alone may be the whole list's ("Nine RCTs and 4 non-randomised studies (1,876
    # patients) were included"): left to the other patterns.
    first = _FIRST_ITEM.match(span)
    own = bool(first and (first.group("people")
                          or _BRACKET_PEOPLE.match(first.group("paren").strip())))
    return None, own


#: Counts of studies each on its own topic, with no total: "16 studies (…) regarding CHD, and
#: seven studies (…) about HF" — the sets may overlap, so neither is the included set.
_PER_TOPIC = (
    r"\s+(?:regarding|about|concerning|addressing|examining|evaluating|assessing"
    r"|investigating|on)\s+"
)
_TOPIC_COUNTS = _lc(
    rf"{_N}\s+{_ADJ}{_STUDY}{_PAREN}{_PER_TOPIC}[^.;]{{1,80}}?(?:,\s*and|;\s*and|,|;|\band)\s+"
    rf"{_N}\s+{_ADJ}{_STUDY}{_PAREN}{_PER_TOPIC}")


#: A section whose label says what its text lists: the included studies ("RESULTS: 25 cohorts
#: from Europe …", "INCLUDED STUDIES: 12 RCTs (n = 2345)"). There a count of studies that opens
#: the section, with no verb of its own, is the included set: the label is its verb.
_INCLUDED_LABEL = re.compile(
    r"^(?:results?|included\s+studies|studies\s+included|eligible\s+studies|study\s+"
    r"characteristics|settings?|data\s+synthesis|evidence\s+base)$", re.I)
_HEADING_COUNT = _lc(
    rf"(?:(?:a\s+total\s+of|in\s+total,?|overall,?|altogether,?)\s+)?(?P<list>(?>{_LIST}))")
#: A verb of its own: then the sentence says what happened to the studies (screened,
#: identified …), and only the ordinary patterns may read it.
_OWN_VERB = _lc(
    r"\b(?:were|was|are|is|have|has|had|been|be|identified|screened|retrieved|found|searched"
    r"|excluded|assessed|yielded|reviewed|showed|shown|reported|met|included|examined"
    r"|evaluated|did|could|may|might|would|will|can|remained|resulted)\b")


#: "Of 69 randomized clinical trials (4118 outpatients) that were mainly of low quality, CBT
#: was associated with …": the set the results are given over (not "Of 45 articles assessed,
#: 12 were included": the list must be followed by a comma, then no count).
_HEADING_OF = _lc(
    rf"of\s+(?:the\s+|these\s+)?(?P<list>(?>{_LIST}))(?:\s+(?:that|which)\s+[^,.;]{{1,80}})?,"
    r"\s+(?![\d])")


#: "RESULTS: Seven eligible RCTs (19,818 patients) reported CVAE results.": the results open on
#: the set, named eligible (or included) by its adjective, whatever its verb.
_HEADING_ELIGIBLE = _lc(
    rf"(?:a\s+total\s+of\s+|in\s+total,?\s+|overall,?\s+)?(?P<list>{_N}\s+(?:eligible|included)\s+"
    rf"{_ADJ}{_STUDY}{_PAREN})")


def _heading_count(digits: str) -> tuple[int, str] | None:
    """The count of studies a section opening under an included-studies label states: verbless
    ("25 cohorts from Europe …"), or the set the results are given over ("Of 69 trials, …")."""
    m = _HEADING_COUNT.match(digits)
    if not m or _OWN_VERB.search(digits):
        m = _HEADING_OF.match(digits) or _HEADING_ELIGIBLE.match(digits)
    if not m or _SCREENING_WORDS.search(m.group("list")):
        return None
    value = _sum_list(m.group("list"))
    return (value, m.group("list")) if value else None


#: The part of a whole, just before the counted list: "90 (63%) of 143 identified studies".
_PARTITIVE = _lc(rf"(?P<n>{_N})\s*(?:\([^()]{{0,30}}\)\s*)?of\s+(?:the\s+|these\s+)?$")


def _studies_in(digits: str, own_type: bool, heading: bool = False) -> tuple[int, str] | None:
    """``(number, list)``: the number of included studies a (lower-cased, digits-only)
    sentence states, and the list it was read from; ``own_type``: the sentence names this
    review's own type ("we conducted a review of…"); ``heading``: it opens a section whose
    label names the included studies."""
    for i, pattern in enumerate(_STUDY_PATTERNS):
        if i == _OWN_TYPE_ONLY and not own_type:
            continue
        if i == _K and len(_K_ANY.findall(digits)) > 1:
            continue  # "k = 17 … k = 8 … k = 12": per analysis
        for m in pattern.finditer(digits):
            group = "list" if m.group("list") else "list2"
            if _bounded(digits, m.start(group)) or _SCREENING_WORDS.search(m.group(group)):
                continue
            if i == _ACTIVE and _SEARCH_SUBJECT.search(digits, max(0, m.start() - 50),
                                                       m.start()):
                continue  # "the search results consisted of 1245 articles": records found
            if i == _ELIDED:  # the nearest noun before must be studies/records, not people
                nouns = _ELIDED_NOUN.findall(digits[: m.start(group)])
                if not nouns or _PART_RE.fullmatch(nouns[-1]):
                    continue
            value = _sum_list(m.group(group))
            part = _PARTITIVE.search(digits, max(0, m.start(group) - 40), m.start(group))
            if value and part and int(part.group("n")) <= value:
                # "Ninety (63%) of 143 identified studies met the inclusion criteria": the
                # verb is the part's, the count read is the whole
                return int(part.group("n")), m.group(group)
            if value:
                return value, m.group(group)
    return _heading_count(digits) if heading else None


def _participants_in(digits: str, has_count: bool) -> int | None:
    """The number of participants of the included studies a (digits-only) sentence states."""
    level = _COUNTED if has_count else _INCLUSION if _has_any(digits, _INCLUSION_CUES) else _ALWAYS
    for pattern, needs in _PARTICIPANT_PATTERNS:
        if needs > level:
            continue
        for m in pattern.finditer(digits):
            found = m.groupdict()
            group = "p" if found.get("p") else "p2" if found.get("p2") else "groups"
            if not _bounded(digits, m.start(group)):
                return _sum_counts(m.group(group)) if group == "groups" else int(m.group(group))
    if has_count and "k" in digits:
        m = _K_AND_N.search(digits)
        if m:
            return int(m.group("p"))
    return None


# --------------------------------------------------------------------------- designs

_DESIGNS = [
    _cued("prospective", r"\bprospective\s+(?:and|or|/)\s+retrospective\s+cohort",
          ("prospective cohort", "retrospective cohort")),
    _cued("retrospective", r"\bretrospective\s+(?:and|or|/)\s+prospective\s+cohort",
          ("retrospective cohort", "prospective cohort")),
    _cued("randomi", r"\bnon-?randomi[sz]ed\s+(?:(?:controlled|clinical)\s+){0,2}(?:trials?"
          r"|stud(?:y|ies)|interventions?)", ("non-randomized study",)),
    _cued("quasi", r"\bquasi-?experimental", ("quasi-experimental",)),
    _cued("randomi", r"\b(?:(?:double|single|triple)[\s-]blind(?:ed)?,?\s+)?randomi[sz]ed,?\s+"
          r"(?:(?:double|single|triple)[\s-]blind(?:ed)?,?\s+)?(?:placebo[\s-])?"
          r"(?:controlled\s+)?(?:clinical\s+)?trials?\b", ("randomized controlled trial",)),
    # "randomized, controlled and double-blinded studies", "randomised, controlled, clinical
    # trials": the adjectives of one design, with their commas
    _cued("randomi", r"\brandomi[sz]ed,\s+(?:and\s+)?controlled,?\s+(?:and\s+)?(?:(?:double|single"
          r"|triple)[\s-]blind(?:ed)?,?\s+)?(?:clinical\s+)?(?:trials?|stud(?:y|ies))\b",
          ("randomized controlled trial",)),
    _cued("rct", r"\brcts?\b", ("randomized controlled trial",)),
    _cued("prospective", r"\bprospective\s+(?:[\w-]+\s+)?cohorts?\b", ("prospective cohort",)),
    _cued("retrospective", r"\bretrospective\s+(?:[\w-]+\s+)?cohorts?\b",
          ("retrospective cohort",)),
    _cued("control", r"\bcase[\s\u2010\u2011\u2013\u2014-]+control\b", ("case-control",)),
    _cued("sectional", r"\bcross[\s-]?sectional\b", ("cross-sectional",)),
    # "k = 146 cohorts", "25 cohorts from Europe": counted units, not a design
    _cued("cohort", r"\bcohort\s+(?:stud(?:y|ies)|designs?)|(?<![0-9]\s)\bcohorts\b", ("cohort",)),
    _cued("series", r"\bcase\s+series\b", ("case series",)),
    _cued("report", r"\bcase\s+reports?\b", ("case report",)),
    _cued("prospective", r"\bprospective\s+(?:(?:population-based|longitudinal|observational"
          r"|comparative|clinical|multicent(?:er|re|ric))\s+)?stud(?:y|ies)\b",
          ("prospective study",)),
    _cued("retrospective", r"\bretrospective\s+stud(?:y|ies)\b", ("retrospective study",)),
    _cued("observational", r"\bobservational\b", ("observational",)),
    _cued("qualitative", r"\bqualitative\s+stud(?:y|ies)\b", ("qualitative",)),
    _cued("mixed", r"\bmixed[\s-]methods?\s+stud(?:y|ies)\b", ("mixed methods",)),
    _cued("over", r"\bcross-?over\s+(?:trials?|stud(?:y|ies))\b", ("crossover",)),
    _cued("accuracy", r"\bdiagnostic\s+(?:test\s+)?accuracy\s+stud(?:y|ies)\b",
          ("diagnostic accuracy",)),
    # only kept for umbrella reviews (what they include are reviews), or where a sentence says
    # reviews are what this review sought ("to identify systematic reviews and meta-analysis")
    _cued("systematic", r"\bsystematic\s+reviews\s+(?:and|or|/|&)\s+meta[\s-]?analy(?:sis|ses)\b",
          ("systematic review", "meta-analysis")),
    _cued("systematic", r"\bsystematic\s+reviews\b", ("systematic review",)),
    _cued("meta", r"\bmeta[\s-]?analyses\b", ("meta-analysis",)),
]
_UMBRELLA_ONLY = frozenset({"systematic review", "meta-analysis"})
_DESIGN_CUES = tuple(sorted({c for e in _DESIGNS for c in e.cues}))
_CLAUSE_SPLIT = _lc(r";|\s+(?:but|whereas|while|except)\s+|\s*:\s*\(?1\)")
#: A clause ending on its context ("Inclusion criteria included; RCTs examining …"): what the
#: next clause lists is still what was included.
_CONTEXT_AT_END = _lc(
    r"\b(?:included|includes|including|inclusion\s+criteria(?:\s+(?:were|was|included))?"
    r"|eligible|consisted\s+of|comprised)\s*:?\s*$")
#: Reviews as the evidence this review sought or read: "to identify systematic reviews and
#: meta-analysis", "concentrating on recent systematic reviews, meta-analyses and …".
_REVIEWS_SOUGHT = _lc(
    r"\b(?:identify|identified|identifying|include|included|concentrat\w*\s+on"
    r"|focus(?:ed|ing)?\s+on|search(?:ed|ing)?\s+for|retriev\w*|select\w*|sought)\s+"
    r"(?:(?:the|all|recent|published|relevant|existing|available|large|high-quality)\s+)*"
    r"(?:systematic\s+reviews|meta[\s-]?analyses)\b")
_DESIGN_CONTEXT = _lc(
    r"\b(?:included|eligible|inclusion\s+criteria|were\s+analy[sz]ed|pooled|comprised"
    r"|consisted\s+of|identified|found|selected|search(?:ed|es)?|(?:of|among)\s+(?:the|these)\s+"
    r"(?:\w+\s+)?(?:studies|trials|articles)|(?:review|meta-analysis)\s+of)\b")
#: "Most were cross-sectional", "nine were case-control studies", "all of them were RCTs".
_PART_WERE = _lc(r"\b([\w-]+)\s+(?:of\s+(?:the|them|these)\s+(?:[\w-]+\s+)?)?(?:were|was)\b")
_PART_WORDS = frozenset({"most", "all", "majority", "remainder", "rest", "others"})
_DESIGN_NEGATIVE = _lc(
    r"\b(?:exclu\w*|not|no|lack\w*|absence|without|none|future|should|needed|need|needs"
    r"|warranted|required)\b")


def _design_context(clause: str) -> bool:
    if _DESIGN_CONTEXT.search(clause):
        return True
    if " were " not in clause and " was " not in clause:
        return False
    for m in _PART_WERE.finditer(clause):
        word = m.group(1)
        if word in _PART_WORDS or word.isdigit() or parse_count(word):
            return True
    return False


#: Adjectives sharing one noun: "prospective, retrospective, randomized and non-randomized
#: studies" is "prospective studies, …, non-randomized studies".
_ADJ_WORD = r"(?!(?:studies|trials|reviews|cohorts|and|or)\b)[a-z][\w-]*"
_ELLIPTIC = _lc(
    rf"\b(?P<adjs>(?:{_ADJ_WORD},\s+)+(?:{_ADJ_WORD},?\s+)?(?:and|or)\s+{_ADJ_WORD})\s+"
    r"(?P<noun>studies|trials)\b")
_ADJ_SPLIT = re.compile(r",?\s+(?:and|or)\s+|,\s+")


_ONE_DESIGN_COMMAS = _lc(r"\brandomi[sz]ed,\s+(?:and\s+)?controlled\b")


def _expand_elliptic(clause: str) -> str:
    if "controlled" in clause and _ONE_DESIGN_COMMAS.search(clause):
        return clause  # "randomized, controlled and double-blinded studies": one design
    return _ELLIPTIC.sub(lambda m: ", ".join(f"{adj} {m.group('noun')}" for adj in
                                             _ADJ_SPLIT.split(m.group("adjs"))), clause)


#: A label naming the selection: its sentences say which studies were included.
_SELECTION_LABEL = re.compile(r"selection|eligibility|inclusion|criteria", re.I)
#: A title naming what the review is of: "Meta-Analysis of Randomized Controlled Trials".
_TITLE_OF = _lc(rf"(?:review|{_MA}|analysis)\s+of\s+(?P<tail>[^:;.?]+)")


#: A design word as the modifier of "design" in a with-phrase right after another design word.
_WITH_GAP = _lc(r"\s+with\s+(?:an?\s+|the\s+|[\d:]+\s+)?")
_DESIGN_AFTER = _lc(r"\s+designs?\b")


#: A design word in the name of an appraisal tool: "Quality Assessment of Diagnostic Accuracy
#: Studies-2 (QUADAS-2) tool", "… Cohort Studies scale".
_TOOL_AFTER = _lc(
    r"(?:[\s-]*\d+)?\s*(?:\([^()]{1,20}\)\s*)?(?:tool|checklist|scale|instrument|questionnaire)s?\b")
#: A design as a condition on some studies: "assessed risk of bias for all studies with an
#: experimental or quasi-experimental design" says nothing of which were included.
_FOR_STUDIES_WITH = _lc(
    r"\bfor\s+(?:all|any|each|those)\s+(?:[\w-]+\s+)?(?:studies|trials)\s+(?:with|of|using)\s+"
    r"(?:an?\s+|the\s+)?(?:[\w-]+\s+(?:or|and)\s+)?$")


def _designs_in(low: str, umbrella: bool, selection: bool = False) -> list[str]:
    """Design words of the included studies, from the clauses that speak of inclusion
    (every clause where ``selection``: the sentence is under a study-selection label)."""
    out: list[str] = []
    carried = False
    if "," in low:
        low = _expand_elliptic(low)
    for clause in _CLAUSE_SPLIT.split(low):
        in_context = selection or carried or _design_context(clause)
        carried = bool(_CONTEXT_AT_END.search(clause))
        if not in_context:
            continue
        reviews = umbrella or bool(_REVIEWS_SOUGHT.search(clause))
        negative = _DESIGN_NEGATIVE.search(clause)
        previous = -1  # where the design word before ends
        for start, end, names in _scan(_DESIGNS, clause, clause):
            if previous >= 0 and _WITH_GAP.fullmatch(clause, previous, start) and (
                _DESIGN_AFTER.match(clause, end)
            ):
                continue  # "RCTs with 1:1 prospective study design": a feature of the RCTs
            previous = end
            if _TOOL_AFTER.match(clause, end) or _FOR_STUDIES_WITH.search(
                    clause, max(0, start - 60), start):
                continue  # a tool's name (QUADAS-2), a condition ("for all studies with a …")
            # a negation near the design word ("none, except one case report", "RCTs were
            # excluded"), not one elsewhere in the clause ("with or without scale scores")
            if negative and _DESIGN_NEGATIVE.search(clause[max(0, start - 40):end + 25]):
                continue
            for name in names:
                # an umbrella review includes reviews: other design words describe their
                # studies; other reviews count reviews only where they say they sought them
                review_word = name in _UMBRELLA_ONLY
                if name not in out and (review_word == umbrella or (review_word and reviews)):
                    out.append(name)
    return out


# --------------------------------------------------------------------------- databases

_DATABASES = [
    _cued("pubmed central", r"\bpubmed\s+central\b", "PubMed Central"),
    _cued("europe", r"\beurope\s?pmc\b", "Europe PMC"),
    _cued("pubmed|pub med|medline", r"\bpub\s?med\b|\bmedline\b", "PubMed/MEDLINE"),
    _cued("embase|excerpta", r"\bembase\b|\bexcerpta\s+medica\b", "Embase"),
    _cued("cochrane", r"\bcochrane\b(?!'?s?\s+(?:and\s+campbell|risk|tool|handbook|collaboration"
          r"|rob\b|q\b|criteria|methodolog|guid|approach|bias|recommend|review\s+(?:group|manual"
          r"|handbook)))", "Cochrane Library"),
    _cued("CENTRAL", r"\bCENTRAL\b", "Cochrane Library", exact=True),
    _cued("cdsr", r"\bcdsr\b", "Cochrane Library"),
    _cued("web of|citation index|wos", r"\bweb\s+of\s+(?:science|knowledge)\b"
          r"|\bscience\s+citation\s+index\b|\bwos\b", "Web of Science"),
    _cued("scopus", r"\bscopus\b", "Scopus"),
    _cued("cinahl|cumulative index", r"\bcinahl\b|\bcumulative\s+index\s+to\s+nursing",
          "CINAHL"),
    _cued("psycinfo|psychinfo|psyc info|psych info|psyc-info|psych-info",
          r"\bpsy(?:c|ch)[\s-]?info\b", "PsycINFO"),
    _cued("google scholar", r"\bgoogle\s+scholar\b", "Google Scholar"),
    _cued("lilacs", r"\blilacs\b", "LILACS"),
    _cued("trials.gov", r"\bclinical\s?trials\.gov\b", "ClinicalTrials.gov"),
    _cued("ictrp|registry platform",
          r"\bictrp\b|\binternational\s+clinical\s+trials?\s+registry\s+platform\b",
          "WHO ICTRP"),
    _cued("cnki|china national", r"\bcnki\b|\bchina\s+national\s+knowledge\s+infrastructure\b",
          "CNKI"),
    _cued("wanfang|wan fang", r"\bwan\s?fang\b", "Wanfang"),
    _cued("vip|chinese", r"\bc?qvip\b|\bvip\b|\bchinese\s+scien(?:tific|ce\s+and\s+technology)"
          r"\s+(?:journals?|periodicals?)\s+database\b", "VIP"),
    _cued("sinomed|sino med|chinese|cbm", r"\bsino\s?med\b|\bchinese\s+biomedical\s+"
          r"(?:literature\s+)?database\b|\bcbm(?:disc)?\b", "CBM"),
    _cued("scielo", r"\bscielo\b", "SciELO"),
    _cued("ERIC", r"\bERIC\b", "ERIC", exact=True),
    _cued("amed", r"\bamed\b", "AMED"),
    _cued("discus", r"\bsport\s?discus\b", "SPORTDiscus"),
    _cued("xplore", r"\bieee\s*xplore\b", "IEEE Xplore"),
    _cued("proquest", r"\bproquest\b", "ProQuest"),
    _cued("medrxiv", r"\bmedrxiv\b", "medRxiv"),
    _cued("biorxiv", r"\bbiorxiv\b", "bioRxiv"),
    _cued("epistemonikos", r"\bepistemonikos\b", "Epistemonikos"),
    _cued("sciencedirect|science direct", r"\bscience\s?direct\b", "ScienceDirect"),
    _cued("pedro", r"\bpedro\b", "PEDro"),
    _cued("koreamed", r"\bkoreamed\b", "KoreaMed"),
    _cued("ichushi", r"\bichushi\b", "Ichushi"),
    _cued("jstor", r"\bjstor\b", "JSTOR"),
    _cued("grey", r"\bopen\s?grey\b", "OpenGrey"),
    _cued("index medicus", r"\bglobal\s+index\s+medicus\b", "Global Index Medicus"),
    _cued("ebm reviews", r"\bebm\s+reviews\b", "EBM Reviews"),
    _cued("econlit", r"\beconlit\b", "EconLit"),
    _cued("ASSIA", r"\bASSIA\b", "ASSIA", exact=True),
    _cued("BNI", r"\bBNI\b", "BNI", exact=True),
    _cued("british nursing index", r"\bbritish\s+nursing\s+index\b", "BNI"),
    _cued("HMIC", r"\bHMIC\b", "HMIC", exact=True),
    _cued("social care online", r"\bsocial\s+care\s+online\b", "Social Care Online"),
    _cued("social services abstracts", r"\bsocial\s+services\s+abstracts\b",
          "Social Services Abstracts"),
    _cued("sociological abstracts", r"\bsociological\s+abstracts\b", "Sociological Abstracts"),
    _cued("TRIP|TRiP", r"\bTR[iI]P\b(?:\s+database)?", "TRiP", exact=True),
    _cued("elibrary", r"\belibrary(?:\.ru)?\b", "eLibrary"),
]
_DATABASE_CUES = tuple(sorted({c for e in _DATABASES if not e.exact for c in e.cues}))
_DATABASE_ACRONYMS = tuple(sorted({c for e in _DATABASES if e.exact for c in e.cues}))
_SEARCH_CONTEXT = _lc(
    r"\b(?:search(?:ed|es|ing)?|databases?|queried|interrogated|sources|electronic(?:ally)?"
    r"|bibliographic|retrieved|identified\s+(?:through|via|from|in|using)|hand-?search\w*"
    r"|registries)\b")
_SOURCE_LABEL = re.compile(r"source|search", re.I)


#: What may stand between two databases of one list: "PubMed (MEDLINE), Embase via Ovid and".
_DB_GAP = _lc(
    r"(?:\s*\([^()]{0,40}\))?(?:\s+(?:via|through|on|from)\s+[\w-]+)?(?:\s+databases?)?"
    r"\s*(?:,|;|/|\band\b|\bor\b|&)?\s*(?:\band\b|\bor\b)?\s*(?:the\s+)?")
#: A list of databases in the role of a source of studies, by what comes before it ("searched",
#: "using", "conducted in", "studies published in", "articles indexed in", "we reviewed") …
#: ("from", "including", a colon are left out: "obtained from Google Scholar", "Trial
#: registration: ClinicalTrials.gov", "guidance documents, including the Cochrane Handbook").
_DB_ROLE_BEFORE = _lc(
    r"\b(?:in|into|using|used|via|through|within|searched|searching|search|queried|querying"
    r"|consulted|consulting|screened|screening|reviewed|reviewing|explored|exploring|scanned"
    r"|scanning|interrogated|interrogating)\s+(?:(?:the|following|electronic|bibliographic"
    r"|online|literature|medical|databases?|of)\s+)*$")
#: … or by what follows it ("… databases", "… were searched", "… was screened").
_DB_ROLE_AFTER = _lc(
    r"(?:\s*\([^()]{0,40}\))?\s*(?:(?:electronic|bibliographic|online)\s+)?(?:databases?\b"
    r"|librar(?:y|ies)\b|search(?:es|ed)?\b|(?:were|was|have\s+been|had\s+been)\s+(?:\w+ly\s+)?"
    r"(?:searched|screened|reviewed|consulted|queried|used|explored|scanned|interrogated"
    r"|accessed|examined)\b)")


#: A source outside the vocabulary, named in a search's sentence by its proper name ending in
#: Database / Register / Registry, as written: "Oxford Pain Database", "Clinical Trials
#: Register", "the UK Department of Health National Research Register" (not "… Register of
#: Systematic Reviews": a registration; a known database inside it is that database).
_NAMED_SOURCE = re.compile(
    r"\b(?:[A-Z][\w'-]*\s+(?:(?:of|and|for)\s+)?){1,8}(?:Database|Register|Registry)\b(?!\s+of\b)")

#: … only in a sentence about a search (not "This trial is registered with the European
#: Clinical Trials Database": a registration).
_NAMED_SEARCH = _lc(r"\b(?:search(?:ed|es|ing)?|queried|interrogated|sources|hand-?search\w*)\b")


def _databases_in(sentence: str, low: str, any_role: bool) -> list[str]:
    """Databases named in a sentence: all of them where the sentence is about a search
    (``any_role``), else those of a list whose place in the sentence is that of a source of
    studies ("Studies published in PubMed and PsycINFO … were screened")."""
    hits = _scan(_DATABASES, sentence, low)
    groups: list[list[tuple[int, int, str]]] = []
    for hit in hits:
        if groups and _DB_GAP.fullmatch(low, groups[-1][-1][1], hit[0]):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    out: list[str] = []
    for group in groups:
        start, end = group[0][0], group[-1][1]
        if any_role or _DB_ROLE_BEFORE.search(low, max(0, start - 60), start) or (
            _DB_ROLE_AFTER.match(low, end)
        ):
            out.extend(name for _, _, name in group if name not in out)
    if ("Database" in sentence or "Regist" in sentence) and _NAMED_SEARCH.search(low) and (
            "registered" not in low and "registration" not in low):
        for m in _NAMED_SOURCE.finditer(sentence):
            if not any(h[0] < m.end() and m.start() < h[1] for h in hits) and (
                    m.group(0) not in out):
                out.append(m.group(0))
    return out


# --------------------------------------------------------------------------- search period

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_YEAR}-\d{{2}}(?:-\d{{2}})?|(?:{_DAY}\s+)?{_MONTH},?\s+(?:{_DAY},?\s+)?{_YEAR}"
    rf"|{_YEAR})(?![\d-])"
)
_END = rf"(?:{_DATE}|(?:the\s+)?present|(?:to\s+)?date|now|today)"
_TO = r"(?:to|until|till|through|thru|up\s+to|up\s+until|and|[-\u2013\u2014])"
_INCEPTION = r"(?:(?:their|its|the|database|each\s+database'?s?)\s+)?inception"
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")
#: (needs "inception", needs a year, needs "last/past…", pattern); first match wins.
_PERIOD_PATTERNS = [
    (True, False, False, _lc(rf"\b(?:from|since)\s+{_INCEPTION}\s*{_TO}\s*{_END}")),
    (True, False, False, _lc(rf"\b{_INCEPTION}\s*{_TO}\s*{_END}")),
    (False, True, False, _lc(rf"\bfrom\s+{_DATE}\s*{_TO}\s*{_END}")),
    (False, True, False, _lc(rf"\bbetween\s+{_DATE}\s+(?:and|to)\s+{_END}")),
    # "MEDLINE searches and previous meta-analyses for 1980 to 1995"
    (False, True, False, _lc(rf"\bfor\s+{_YEAR}\s*{_TO}\s*{_END}")),
    (True, False, False, _lc(rf"\b(?:from|since)\s+{_INCEPTION}")),
    (False, True, False, _lc(rf"\bsince\s+{_DATE}")),
    # "(1980 to January 2019)" beside the databases searched
    (False, True, False, _lc(rf"(?<![\d.]){_YEAR}\s+(?:to|until|through)\s+{_END}")),
    (False, True, False, _lc(r"\bsince\s+the\s+(?:early\s+|late\s+|mid-?)?(?:19|20)\d0s\b")),
    (False, True, False, _lc(
        rf"\b(?:up\s+(?:to|until)|until|through|till|as\s+of|prior\s+to|before)\s+"
        rf"(?:the\s+end\s+of\s+)?{_DATE}")),
    # a bare "to" as an item of the search's bracket: "(MEDLINE, …, all languages, to August,
    # 2000)"
    (False, True, False, _lc(rf"[(,;]\s*(?P<v>to\s+{_DATE})\s*\)")),
    (False, False, True, _lc(
        r"\b(?:in|during|over|within)\s+the\s+(?:last|past|previous|preceding)\s+"
        rf"(?:{_WORDS}\s+|\d+\s+)?(?:years?|decades?|months?)\b")),
    (False, True, False, _lc(rf"(?<![\d.]){_YEAR}\s*[-\u2013\u2014/]\s*(?:{_YEAR}|present)\b")),
    (False, True, False, _lc(
        rf"\b(?:searched|conducted|performed|executed|updated)\s+(?P<v>(?:on|in)\s+{_DATE})")),
    # "were systematically searched to November 2020"
    (False, True, False, _lc(rf"\bsearched\s+(?:\w+ly\s+)?(?P<v>to\s+{_DATE})")),
]
_PERIOD_WORDS = ("last", "past", "previous", "preceding")
_PERIOD_STRONG = _lc(
    r"\b(?:search(?:ed|es|ing)?|databases?|inception|queried|sources|electronic(?:ally)?"
    r"|bibliographic|retrieved|identified\s+(?:by|through|via|from|in|using)\s+(?:the\s+)?"
    r"(?:medline|pubmed|embase|cochrane))\b")
_PERIOD_ELIGIBLE = _lc(
    r"\b(?:published|publications?|reported|were\s+(?:included|eligible|considered)|eligible)\b")
_STUDY_WORD = _lc(r"\b(?:studies|trials|articles|publications|papers|reports|literature"
                  r"|rcts|records|evidence)\b")
_DESCRIBES_INCLUDED = _lc(
    r"\b(?:included|eligible)\s+(?:studies|trials|articles|papers|reports|rcts)\b"
    r"|\b(?:studies|trials|articles)\s+included\s+(?:were|was)\b")


#: The records searched, dated: "66 eligible articles out of 43,586 records published up to
#: November 2018" is the search's end, though the sentence names the eligible articles.
_POOL_PUBLISHED = _lc(r"\b(?:records|citations|hits|references)\s+(?:published|dated)\s+"
                      r"(?:up\s+(?:to|until)|until|through|before|between|from|since)\b")
#: Dates of what the records are about, not of the search: "drugs … first marketed between
#: 1990 and 2000", "patients diagnosed from 2000 to 2010".
_DATES_OF_ANOTHER = _lc(
    r"\b(?:marketed|approved|launched|licen[sc]ed|introduced|born|diagnosed|admitted|treated"
    r"|enrolled|recruited|hospitali[sz]ed|operated|discharged|vaccinated|deployed)\s+$")
#: Dates right before the verb that counted the studies: they describe the included set.
_DATES_THEN_INCLUDED = _lc(
    r"(?:19|20)\d\d\s*,?\s+(?:were|was|had\s+been|have\s+been)\s+(?:\w+ly\s+)?(?:reviewed"
    r"|included|analy[sz]ed|selected|identified|retained|pooled|synthesi[sz]ed)\b")


def _period_in(
    sentence: str, low: str, label: str | None, is_review: bool, counted: bool = False
) -> str | None:
    """The search period as written, from a sentence about the search (or, for a review,
    about which publications were eligible). ``counted``: the sentence gave the count of
    included studies; dates then followed by its verb describe them after the fact ("Thirty
    studies …, published between 1995 and 2020, were reviewed"), not the search."""
    inception = "inception" in low
    year = bool(_HAS_YEAR.search(low))
    recent = _has_any(low, _PERIOD_WORDS)
    if not (inception or year or recent):
        return None
    strong = _PERIOD_STRONG.search(low) or (label and _SOURCE_LABEL.search(label))
    if not strong:
        if not (is_review and _PERIOD_ELIGIBLE.search(low) and _STUDY_WORD.search(low)):
            return None
        if (counted and _DATES_THEN_INCLUDED.search(low)) or (
            _DESCRIBES_INCLUDED.search(low) and not _POOL_PUBLISHED.search(low)
        ):
            return None
    for needs_inception, needs_year, needs_recent, pattern in _PERIOD_PATTERNS:
        if (needs_inception and not inception) or (needs_year and not year) or (
            needs_recent and not recent
        ):
            continue
        m = pattern.search(low)
        if m:
            start, end = m.span("v") if m.groupdict().get("v") else m.span()
            if _DATES_OF_ANOTHER.search(low, max(0, start - 30), start):
                return None  # "each drug … first marketed between 1990 and 2000"
            return sentence[start:end].strip().rstrip(",")
    return None


# --------------------------------------------------------------------------- registration

_PROSPERO = re.compile(r"\bCRD\s?-?\s?((?:\d[\s-]?){7,15}\d)(?!\d)", re.I)
_INPLASY_DOI = re.compile(r"\b10\.37766/inplasy[\w.-]*\w", re.I)
_INPLASY = re.compile(r"\bINPLASY\s?-?\s?(\d[\d-]{5,}\d)", re.I)
_RESEARCH_REGISTRY = re.compile(r"\breview\s?registry\s?(\d{2,})", re.I)
_OSF = re.compile(
    r"(?:https?://)?(?:dx\.)?(?:doi\.org/)?10\.17605/osf\.io/[a-z0-9]+"
    r"|(?:https?://)?(?:www\.)?osf\.io/[a-z0-9]{4,}(?:/[\w-]*)?", re.I)
_REGISTRATION_CUES = ("crd", "inplasy", "osf", "registry")


def _registration_in(sentence: str) -> str | None:
    m = _PROSPERO.search(sentence)
    if m:
        digits = re.sub(r"\D", "", m.group(1))
        if 8 <= len(digits) <= 16:
            return f"CRD{digits}"
    m = _INPLASY_DOI.search(sentence)
    if m:
        return m.group(0)
    m = _INPLASY.search(sentence)
    if m:
        return "INPLASY" + re.sub(r"\D", "", m.group(1))
    m = _RESEARCH_REGISTRY.search(sentence)
    if m:
        return f"reviewregistry{m.group(1)}"
    m = _OSF.search(sentence)
    if m:
        return m.group(0).rstrip("/.")
    return None


# --------------------------------------------------------------------------- guideline

_PRISMA_LONG = (
    r"preferred\s+reporting\s+items\s+for\s+systematic\s+reviews?\s+and\s+meta-?analys[ie]s"
)
#: Reporting guidelines, with a rank: an extension of PRISMA is more specific than a
#: stand-alone guideline (MOOSE, SWiM…), which is more specific than PRISMA itself.
_GUIDELINES = [
    _cued("prisma", r"\bprisma[\s-]*scr\b", ("PRISMA-ScR", 3)),
    _cued("scoping", rf"(?:\bprisma\b|{_PRISMA_LONG})[^.;]{{0,60}}?extension\s+for\s+scoping",
          ("PRISMA-ScR", 3)),
    _cued("prisma", r"\bprisma[\s-]*p\b", ("PRISMA-P", 3)),
    _cued("protocol", rf"{_PRISMA_LONG}[\s-]+protocols?", ("PRISMA-P", 3)),
    _cued("prisma", r"\bprisma[\s-]*nma\b", ("PRISMA-NMA", 3)),
    _cued("network", rf"(?:\bprisma\b|{_PRISMA_LONG})[^.;]{{0,60}}?extension\s+for\s+network",
          ("PRISMA-NMA", 3)),
    _cued("prisma", r"\bprisma[\s-]*dta\b", ("PRISMA-DTA", 3)),
    _cued("prisma", r"\bprisma[\s-]*ipd\b", ("PRISMA-IPD", 3)),
    _cued("prisma", r"\bprisma[\s-]*s\b", ("PRISMA-S", 3)),
    _cued("PRIOR", r"\bPRIOR\b", ("PRIOR", 2), exact=True),
    _cued("overviews", r"preferred\s+reporting\s+items\s+for\s+overviews\s+of\s+reviews",
          ("PRIOR", 2)),
    _cued("MOOSE", r"\bMOOSE\b", ("MOOSE", 2), exact=True),
    _cued("epidemiology", r"meta-analys[ie]s\s+of\s+observational\s+studies\s+in\s+epidemiology",
          ("MOOSE", 2)),
    _cued("SWiM", r"\bSWiM\b", ("SWiM", 2), exact=True),
    _cued("synthesis without", r"synthesis\s+without\s+meta-analysis\b", ("SWiM", 2)),
    _cued("entreq", r"\bentreq\b", ("ENTREQ", 2)),
    _cued("rameses", r"\brameses\b", ("RAMESES", 2)),
    _cued("eMERGe", r"\beMERGe\b", ("eMERGe", 2), exact=True),
    _cued("quorom", r"\bquorom\b", ("QUOROM", 2)),
    _cued("prisma|preferred reporting", rf"\bprisma\b|{_PRISMA_LONG}", ("PRISMA", 1)),
]
_GUIDELINE_CUES = ("prisma", "moose", "swim", "entreq", "rameses", "emerge", "quorom", "prior",
                   "preferred reporting", "observational studies in epidemiology",
                   "synthesis without")
_FOLLOWED = _lc(
    r"\b(?:follow(?:ed|ing|s)?|according\s+to|in\s+(?:accordance|line|compliance)\s+with"
    r"|adhered\s+to|adhering\s+to|guided\s+by|conform\w*|compli(?:ed|ant)\s+with|per|using"
    r"|based\s+on|reported|used)\b")
_ASSESSED = _lc(
    r"\b(?:adherence|compliance|endorse\w*|assess\w*|evaluat\w*|completeness|reporting\s+quality"
    r"|quality\s+of\s+reporting)\b")


def _guideline_in(sentence: str, low: str) -> tuple[str, int] | None:
    """(name, rank) of the most specific guideline a sentence names (first one on a tie)."""
    best: tuple[str, int] | None = None
    for _, _, found in _scan(_GUIDELINES, sentence, low):
        if best is None or found[1] > best[1]:
            best = found
    return best


#: An abstract holding none of the cues of any field is not scanned at all.
_ANY_CUES = tuple(sorted({
    *_TYPE_CUES, *_STUDY_CUES, *_INCLUSION_CUES, *_DATABASE_CUES, *_REGISTRATION_CUES,
    *_GUIDELINE_CUES, "search", "inception", "database", "sources", "published",
}))


# --------------------------------------------------------------------------- entry point


def extract_review(
    title: str | None,
    abstract: Sequence[AbstractSection],
    publication_types: Sequence[str],
) -> Review:
    """What a review states about itself, from its publication types, title and abstract.

    ``type`` comes from the publication types, refined by the title, then by the abstract's
    own wording ("we conducted a systematic review"); counts and study designs are read only
    for reviews; every filled field has its source sentence in ``evidence``.
    """
    review = Review()
    evidence = review.evidence

    indexed, names = _type_from_publication_types(publication_types)
    kind = indexed
    if kind:
        evidence["type"] = "publication type: " + ", ".join(names)
    title_kind = _type_from_title(title)
    refined = _merge(kind, title_kind)
    if refined != kind:
        kind = refined
        evidence["type"] = clean(title) or ""

    texts = [(s.label, strip_boilerplate(s.text)) for s in abstract if s.text]
    whole = _lower(" ".join(text for _, text in texts))
    no_cue = not (_has_any(whole, _ANY_CUES) or _has_any(whole.upper(), _DATABASE_ACRONYMS)
                  or any(label and _INCLUDED_LABEL.match(label.strip()) for label, _ in texts)
                  or any(RESULTS_HEADING.search(text) for _, text in texts))
    if no_cue and indexed is None:
        review.type = kind
        return review

    notices = _has_any(whole, NOTICE_CUES)
    sentences: list[tuple[str | None, str, str]] = []
    headed: set[int] = set()  # sentences opening a section labelled as the included studies
    for section_label, text in texts:
        label = section_label
        opening = bool(label and _INCLUDED_LABEL.match(label.strip()))
        for whole_sent in split_sentences(text):
            # a heading written into the text labels its sentence and those after it
            heading, sent = run_in_heading(whole_sent)
            if heading:
                label = heading
                opening = bool(_INCLUDED_LABEL.match(heading))
            if sent and not (notices and is_notice(sent)):
                if opening:
                    headed.add(len(sentences))
                    opening = False
                sentences.append((label, sent, _lower(sent)))
    if no_cue:  # only the type can be stated (and a conflict with the publication type)
        review.type = _settle_type(review, indexed, names, kind, title_kind, clean(title) or "",
                                   None, [], sentences, whole)
        return review

    abstract_kind: str | None = None
    type_sentences: list[str] = []
    own_type: set[int] = set()  # sentences naming the review's own type
    for index, (label, sent, low) in enumerate(sentences):
        if _has_any(low, _TYPE_CUES):
            found = _self_type(label, low)
            if found:
                own_type.add(index)
            merged = _merge(abstract_kind, found)
            if merged != abstract_kind:
                abstract_kind = merged
                type_sentences.append(sent)
    if kind is None and abstract_kind is None:
        for label, sent, low in sentences:
            aimed = _aim_type(label, low) if _has_any(low, _TYPE_CUES) else None
            if aimed:
                abstract_kind = aimed
                type_sentences.append(sent)
                break
    if _merge(kind, abstract_kind) != kind:
        kind = _merge(kind, abstract_kind)
        evidence["type"] = " ".join(type_sentences)
    kind = _settle_type(review, indexed, names, kind, title_kind, clean(title) or "",
                        abstract_kind, type_sentences, sentences, whole)
    if kind == SR and "meta" in whole:
        for _, sent, low in sentences:
            if _POOLED_BY_MA.search(low) and not _is_prior(low):
                kind = SRMA
                evidence["type"] = f"{evidence.get('type', '')} {sent}".strip()
                break
    review.type = kind
    is_review = kind is not None

    db_sentences: list[str] = []
    design_sentences: list[str] = []
    guideline: tuple[str, int] | None = None
    identified: tuple[int, str] | None = None  # the last-resort count of included studies
    identified_opens = False  # … stated as the opening of a results section
    for index, (label, sent, low) in enumerate(sentences):
        prior = _is_prior(low)

        if is_review and not prior:
            _read_counts(review, sent, low, index in own_type, index in headed)
            if identified is None and review.studies_included is None and "identified" in low:
                count = _identified_in(_digits_only(low))
                if count:
                    identified = (count, sent)
                    identified_opens = index in headed
            if _has_any(low, _DESIGN_CUES):
                selection = bool(label and _SELECTION_LABEL.search(label))
                designs = [d for d in _designs_in(low, kind == UMBRELLA, selection)
                           if d not in review.study_designs]
                if designs:
                    review.study_designs.extend(designs)
                    design_sentences.append(sent)

        named = _has_any(low, _DATABASE_CUES) or _has_any(sent, _DATABASE_ACRONYMS)
        if named and not prior:
            searched = bool(_SEARCH_CONTEXT.search(low) or (label and _SOURCE_LABEL.search(label)))
            dbs = [d for d in _databases_in(sent, low, searched) if d not in review.databases]
            if dbs:
                review.databases.extend(dbs)
                db_sentences.append(sent)

        if review.search_period is None and not prior:
            counted = evidence.get("studies_included") == sent
            period = _period_in(sent, low, label, is_review, counted)
            if period:
                review.search_period = period
                evidence["search_period"] = sent

        if review.registration is None and _has_any(low, _REGISTRATION_CUES):
            registration = _registration_in(sent)
            if registration:
                review.registration = registration
                evidence["registration"] = sent

        if not prior and _has_any(low, _GUIDELINE_CUES):
            named_guideline = _guideline_in(sent, low)
            if named_guideline and (guideline is None or named_guideline[1] > guideline[1]):
                followed = bool(_FOLLOWED.search(low))
                assessed = bool(_ASSESSED.search(low)) and not followed
                if (followed or is_review) and not assessed:
                    guideline = named_guideline
                    evidence["guideline"] = sent

    if is_review and title:
        # the title's "… of randomized controlled trials" names the included studies' design
        m = _TITLE_OF.search(_lower(title))
        tail = m.group("tail") if m else ""
        names = [n for _, _, found in _scan(_DESIGNS, tail, tail) for n in found
                 if (n in _UMBRELLA_ONLY) == (kind == UMBRELLA)]
        if names and not _DESIGN_NEGATIVE.search(tail):
            new = [n for n in dict.fromkeys(names) if n not in review.study_designs]
            if new:
                review.study_designs.extend(new)
                design_sentences.insert(0, clean(title) or "")
    review.guideline = guideline[0] if guideline else None
    if review.studies_included is None and identified and (
        not _SELECTION_FLOW.search(whole)
        # a results section opening on what was identified, where the selection is told as a
        # method with no numbers ("Pairs of reviewers independently screened …"): its set
        or (identified_opens and not _COUNTED_FLOW.search(_digits_only(whole)))
    ):
        review.studies_included, evidence["studies_included"] = identified
    if review.study_designs:
        evidence["study_designs"] = " ".join(design_sentences)
    if review.databases:
        evidence["databases"] = " ".join(db_sentences)
    return review


#: A systematic review whose data were pooled by meta-analysis is both: "data were combined
#: using random effects meta-analysis".
_POOLED_BY_MA = _lc(
    r"\b(?:data|results|estimates|effect\s+sizes|findings)\s+(?:were|was)\s+(?:\w+ly\s+)?"
    r"(?:combined|pooled|synthesi[sz]ed)\s+(?:using|by|with|in|through|via)\s+(?:an?\s+|the\s+)?"
    rf"(?:[\w-]+\s+){{0,3}}?{_MA}")


#: Wording of a primary study, against an indexed review type: kept as indexed (publication
#: type first), but shown to the screener in ``evidence["type_conflict"]``.
_PRIMARY_STUDY = _lc(
    r"\bmendelian\s+randomi[sz]ation\b|\bgenome[\s-]wide\s+association\b"
    r"|\b(?:medical\s+)?(?:chart|charts|records?)\s+review\b|\bretrospective(?:ly)?\s+"
    r"review(?:ed)?\s+(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:records|charts|files|cases"
    r"|patients)\b|\bwe\s+(?:report|describe|present)\s+(?:a|an|the|two|three|four|five|\d+)\s+"
    r"(?:[\w-]+\s+){0,3}?cases?\b|\b(?:reports|records|charts|files|notes|specimens)\b[^.;]{0,100}?"
    r"\b(?:were|was)\s+(?:retrospectively\s+)?reviewed\b|\breviewed\s+in\s+\d+\s+(?:[\w-]+\s+)?"
    r"(?:cases|patients)\b")
#: A title saying the article is a primary study ("… genome wide association and mendelian
#: randomisation study", "A retrospective chart review …"), not a review of such studies.
_PRIMARY_TITLE = _lc(
    r"\b(?:mendelian\s+randomi[sz]ation|genome[\s-]wide\s+association)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:study|analysis)\b|\bchart\s+review\b")
_PRIMARY_CUES = ("mendelian", "genome", "chart", "record", "retrospectiv", "case", "report",
                 "files", "notes", "specimens")
_EXPLICIT_NARRATIVE = _lc(r"\bnarrative\s+(?:literature\s+)?review\b")


def _settle_type(
    review: Review,
    indexed: str | None,
    names: list[str],
    kind: str | None,
    title_kind: str | None,
    title: str,
    abstract_kind: str | None,
    type_sentences: list[str],
    sentences: list[tuple[str | None, str, str]],
    whole: str = "",
) -> str | None:
    """The final type where the publication types and the article's own wording disagree.

    Policy (the corpus README's): publication type first, made more specific by the title
    and the abstract; but where the article calls itself a different review type than the
    indexers did, its own wording wins: indexed Meta-Analysis, calling itself a (narrative)
    review -> ``narrative_review``. A less specific own wording ("literature review" for an
    indexed Systematic Review) does not downgrade it. Every disagreement, and primary-study
    wording under an indexed review type (a Mendelian randomisation study indexed
    Meta-Analysis, a chart review indexed Review), is recorded in ``evidence["type_conflict"]``.
    """
    if indexed is None:
        return kind
    label = "publication type: " + ", ".join(names)
    own = _merge(title_kind, abstract_kind)
    own_text = title if title_kind and own == title_kind else " ".join(type_sentences)
    if own == NARRATIVE and indexed == MA:
        review.evidence["type"] = own_text
        review.evidence["type_conflict"] = f"{label}; the article: {own_text}"
        return NARRATIVE
    if own == NARRATIVE and indexed != NARRATIVE and _EXPLICIT_NARRATIVE.search(_lower(own_text)):
        review.evidence["type_conflict"] = f"{label}; the article: {own_text}"
        return kind
    if title_kind is None and _PRIMARY_TITLE.search(_lower(title)):
        # the title names a primary design ("genome wide association and mendelian
        # randomisation study"): whatever the abstract says, the indexing is in question
        review.evidence["type_conflict"] = f"{label}; the article: {title}"
        return kind
    if own is None and sentences and _has_any(whole, _PRIMARY_CUES):
        for _, sent, low in sentences:
            if _PRIMARY_STUDY.search(low):
                review.evidence["type_conflict"] = f"{label}; the article: {sent}"
                break
    return kind


def _read_counts(
    review: Review, sent: str, low: str, own_type: bool, heading: bool = False
) -> None:
    """Fill ``studies_included`` / ``participants`` from the first sentence stating each;
    ``heading``: the sentence opens a section labelled as the included studies."""
    if review.studies_included is not None and review.participants is not None:
        return
    if not _has_number(low):
        return  # no count in it: the long cue lists need not be tried
    study_cue = heading or own_type or _has_any(low, _STUDY_CUES)
    people_cue = _has_any(low, _PARTICIPANT_CUES)
    if not (study_cue or people_cue):
        return
    digits = _digits_only(low)
    found = _studies_in(digits, own_type, heading) if study_cue else None
    topics = _TOPIC_COUNTS.search(digits) if found or "identified" in digits else None
    if topics and (found is None or found[1] in topics.group(0)):
        return  # counts per topic, no total ("16 studies regarding CHD, and 7 about HF")
    count = found[0] if found else None
    if count is not None and review.studies_included is None:
        review.studies_included = count
        review.evidence["studies_included"] = sent
    if review.participants is None and people_cue:
        people, partial = _list_people(found[1]) if found else (None, False)
        if people is None and not partial:
            people = _participants_in(digits, count is not None)
        if people is not None:
            review.participants = people
            review.evidence["participants"] = sent
