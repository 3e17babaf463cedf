"""Realistic record sizes for the mirror (``MirrorGraph(..., realistic=True)``, ``--realistic``).

The default mirror's records are small (~8 KB of efetch XML, ~12 references, abstracts of
~400 characters). Real efetch records of articles with a reference list are two to four
times that. In realistic mode each article draws, deterministically from ``(seed, index)``:

* a reference-list length ``N`` from a log-normal distribution, median
  :data:`REFS_MEDIAN` = 39, shape :data:`REFS_SIGMA` = 0.55 (mean 45, quartiles 27 and 56,
  5th/95th percentiles 16 and 96), clamped to 1..:data:`REFS_MAX`. This is the distribution
  measured on 96,685 PubMed Central research papers of 2016-2021 (mean 45.07, median 39,
  quartiles 25 and 56, 90 % between 8 and 102; quantifyinghealth.com, "How many references
  to use for research papers"), and the saved fixtures (40-71 references) sit inside it;
* a share of those references that are in PubMed (have a PMID), uniform in
  [:data:`IN_PUBMED_LOW`, 1]: the fixtures' reference lists have 65 of 71 and 49 of 49;
  the rest are text-only or DOI-only references (books, reports);
* an abstract length ``L`` in characters from a log-normal distribution, median
  :data:`ABSTRACT_MEDIAN` = 1,500, shape :data:`ABSTRACT_SIGMA` = 0.45 (5th/95th
  percentiles 715 and 3,150), clamped to :data:`ABSTRACT_MIN`..:data:`ABSTRACT_MAX`: the
  fixtures' abstracts are 676-4,158 characters (median 1,308 over the nine that have one),
  and NLM's 250-word limit (400 for long articles), which authors mostly fill, is about
  1,600 characters. Every realistic article has an abstract.

The in-PubMed references are real graph edges (the graph cites with a wider window and a
per-article probability, see :class:`tests.mirror.graph.MirrorGraph`), so elink, the
article pages, cited-by lists and iCite agree with efetch's ``ReferenceList``, as on the
real sites; the articles in the first :data:`CITE_WINDOW` indices of a graph have fewer
earlier articles to cite and so shorter lists.
"""

from __future__ import annotations

import math
import random
from statistics import NormalDist

from aggregator.records import AbstractSection
from tests.mirror import vocab as V

__all__ = [
    "ABSTRACT_MAX",
    "ABSTRACT_MEDIAN",
    "ABSTRACT_MIN",
    "ABSTRACT_SIGMA",
    "CITE_WINDOW",
    "IN_PUBMED_LOW",
    "REFS_MAX",
    "REFS_MEDIAN",
    "REFS_SIGMA",
    "abstract_length",
    "in_pubmed_count",
    "lengthen_abstract",
    "reference_count",
]

REFS_MEDIAN = 39
REFS_SIGMA = 0.55
REFS_MAX = 250
IN_PUBMED_LOW = 0.8
#: how far back an article may cite in realistic mode (room for REFS_MAX in-graph references)
CITE_WINDOW = REFS_MAX
ABSTRACT_MEDIAN = 1500
ABSTRACT_SIGMA = 0.45
ABSTRACT_MIN, ABSTRACT_MAX = 400, 5000

_NORMAL = NormalDist()
_TWO64 = float(2**64)


def _lognormal(h: int, median: float, sigma: float) -> float:
    """A log-normal draw from a 64-bit hash ``h`` (its quantile, so the draw is exact)."""
    return median * math.exp(sigma * _NORMAL.inv_cdf((h + 0.5) / _TWO64))


def reference_count(h: int) -> int:
    """Reference-list length ``N`` for an article whose draw hash is ``h``."""
    return max(1, min(REFS_MAX, round(_lognormal(h, REFS_MEDIAN, REFS_SIGMA))))


def in_pubmed_count(n_refs: int, h: int) -> int:
    """How many of ``n_refs`` references are in PubMed (share uniform in [0.8, 1])."""
    share = IN_PUBMED_LOW + (1 - IN_PUBMED_LOW) * ((h >> 11) / float(2**53))
    return round(n_refs * share)


def abstract_length(h: int) -> int:
    """Target abstract length in characters for draw hash ``h``."""
    return max(ABSTRACT_MIN, min(ABSTRACT_MAX,
                                 round(_lognormal(h, ABSTRACT_MEDIAN, ABSTRACT_SIGMA))))


# --------------------------------------------------------------------- abstract text


def _background(r: random.Random) -> str:
    cond, pop = r.choice(V.CONDITIONS), r.choice(V.POPULATIONS)
    inter, outcome = r.choice(V.INTERVENTIONS), r.choice(V.OUTCOMES)
    return r.choice((
        f"{cond[0].upper() + cond[1:]} affects a growing share of {pop}, and {outcome} "
        "remains a major concern for patients and health systems.",
        f"Previous studies of {inter} reported conflicting effects on {outcome}, with wide "
        "variation in populations, doses and follow-up.",
        f"Whether {inter} improves {outcome} in {pop} with {cond} is uncertain.",
    ))


def _methods(r: random.Random) -> str:
    pop, cond = r.choice(V.POPULATIONS), r.choice(V.CONDITIONS)
    o1, o2 = r.sample(V.OUTCOMES, 2)
    y = r.randint(1995, 2020)
    return r.choice((
        f"Eligible participants were {pop} with {cond} recruited between {y} and {y + 4}.",
        f"The primary outcome was {o1}; secondary outcomes included {o2} and adverse events.",
        "Two reviewers independently extracted data and assessed the risk of bias with the "
        "Cochrane tool; disagreements were resolved by discussion.",
        "Random-effects models were used to pool estimates, and heterogeneity was assessed "
        "with the I² statistic and explored by subgroup and sensitivity analyses.",
    ))


def _results(r: random.Random) -> str:
    inter, outcome, pop = r.choice(V.INTERVENTIONS), r.choice(V.OUTCOMES), r.choice(V.POPULATIONS)
    lo = r.uniform(0.3, 0.95)
    n2 = r.randint(80, 4000)
    return r.choice((
        f"{inter[0].upper() + inter[1:]} was associated with a change in {outcome} of "
        f"{r.uniform(-30, 30):.1f}% (95% CI {lo:.2f} to {lo + r.uniform(0.1, 1.2):.2f}; "
        f"P = {r.uniform(0.001, 0.2):.3f}).",
        f"In the subgroup of {pop}, the hazard ratio for {outcome} was {r.uniform(0.5, 1.6):.2f} "
        f"(95% CI {lo:.2f} to {lo + r.uniform(0.3, 1.1):.2f}).",
        f"Adverse events occurred in {r.randint(1, n2 // 4)} of {n2} participants, most of "
        "them mild and transient.",
        f"Sensitivity analyses excluding studies at high risk of bias gave similar results "
        f"(odds ratio {r.uniform(0.4, 1.9):.2f}).",
    ))


def _conclusions(r: random.Random) -> str:
    inter, outcome = r.choice(V.INTERVENTIONS), r.choice(V.OUTCOMES)
    return r.choice((
        f"{inter[0].upper() + inter[1:]} may improve {outcome}, but the certainty of the "
        "evidence is low.",
        "Larger trials with longer follow-up and standardised outcome measures are needed.",
    ))


#: (sentence maker, weight) per structured-abstract section, in section order
_SECTION_TEXT = (_background, _methods, _results, _conclusions)
_SECTION_WEIGHT = (2, 3, 4, 1)


def lengthen_abstract(sections: list[AbstractSection], target: int,
                      rnd: random.Random) -> list[AbstractSection]:
    """``sections`` with sentences added until their text is within one sentence of
    ``target`` characters (never above it; sections already longer are kept as they are).

    A structured abstract (four labelled sections) grows in every section, Results most;
    an unstructured one grows as one text."""
    texts = [s.text for s in sections]
    total = sum(len(t) for t in texts)
    structured = len(sections) == len(_SECTION_TEXT)
    while True:
        k = (rnd.choices(range(len(_SECTION_TEXT)), _SECTION_WEIGHT)[0] if structured
             else rnd.randrange(len(_SECTION_TEXT)))
        sentence = " " + _SECTION_TEXT[k](rnd)
        if total + len(sentence) > target:
            break
        slot = k if structured else 0
        texts[slot] += sentence
        total += len(sentence)
    return [AbstractSection(s.label, t) for s, t in zip(sections, texts, strict=True)]
