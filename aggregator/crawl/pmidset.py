"""A set of PMIDs (as ints) in a few bytes per possible PMID, not ~70 bytes per member.

A crawl keeps several "already seen" sets (scheduled, written, handed on); as Python sets
of ints each costs ~70 bytes per article (the int object and its hash slot), ~35 MB per
set at 500,000 articles. A bitmap over the PMID range costs one bit per possible PMID
(PubMed's are under ~45 million: under 6 MB however many are in it); ids past
``LIMIT`` (none in PubMed) fall back to a Python set.
"""

from __future__ import annotations

from collections.abc import Iterable


class PmidSet:
    """``add`` / ``in`` / ``len`` / ``discard`` over non-negative int PMIDs."""

    __slots__ = ("_bits", "_other", "_count")

    #: 1 << 27 = 134 million: a bitmap of at most 16 MB
    LIMIT = 1 << 27

    def __init__(self, pmids: Iterable[int] = ()) -> None:
        self._bits = bytearray()
        self._other: set[int] = set()
        self._count = 0
        for pmid in pmids:
            self.add(pmid)

    def add(self, pmid: int) -> bool:
        """Add ``pmid``; True if it was not there."""
        if 0 <= pmid < self.LIMIT:
            byte, bit = pmid >> 3, 1 << (pmid & 7)
            bits = self._bits
            if byte >= len(bits):  # grow by a quarter at least: few reallocations
                bits.extend(bytes(max(byte + 1 - len(bits), len(bits) // 4)))
            if bits[byte] & bit:
                return False
            bits[byte] |= bit
        else:
            if pmid in self._other:
                return False
            self._other.add(pmid)
        self._count += 1
        return True

    def discard(self, pmid: int) -> None:
        if 0 <= pmid < self.LIMIT:
            byte, bit = pmid >> 3, 1 << (pmid & 7)
            if byte < len(self._bits) and self._bits[byte] & bit:
                self._bits[byte] &= ~bit & 0xFF
                self._count -= 1
        elif pmid in self._other:
            self._other.discard(pmid)
            self._count -= 1

    def __contains__(self, pmid: object) -> bool:
        if not isinstance(pmid, int):
            return False
        if 0 <= pmid < self.LIMIT:
            byte = pmid >> 3
            return byte < len(self._bits) and bool(self._bits[byte] & (1 << (pmid & 7)))
        return pmid in self._other

    def __len__(self) -> int:
        return self._count


class PmidTextSet:
    """A ``PmidSet`` keyed by PMID text (as records and store lines carry them).

    Canonical PMIDs (ASCII digits, no leading zero) go to the bitmap as ints; any other
    text ("007", "x9", "²") is kept as it is in a Python set, so two different strings
    are never taken for one PMID.
    """

    __slots__ = ("_ints", "_other")

    def __init__(self) -> None:
        self._ints = PmidSet()
        self._other: set[str] = set()

    def add(self, pmid: str) -> bool:
        """Add ``pmid``; True if it was not there."""
        if _canonical(pmid):
            return self._ints.add(int(pmid))
        if pmid in self._other:
            return False
        self._other.add(pmid)
        return True

    def __contains__(self, pmid: object) -> bool:
        if not isinstance(pmid, str):
            return False
        return int(pmid) in self._ints if _canonical(pmid) else pmid in self._other

    def __len__(self) -> int:
        return len(self._ints) + len(self._other)


def _canonical(pmid: str) -> bool:
    return pmid.isascii() and pmid.isdigit() and pmid[0] != "0"
