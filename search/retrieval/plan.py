"""A query analysed once: the plan that every stage of one search reads.

A search reads its query's text in many places: evaluation (squashed text for
the bigram lists, jieba words for an unquoted run), partial matches (the typed
groups, a run's words), centrality (each term squashed), did-you-mean (each
term squashed) and highlighting (each clause squashed, a run's words).  Each of
them reads the :class:`QueryPlan` made by :func:`search.understanding.intent.interpret`:
the query parsed once as typed and once as evaluated, and one
:class:`Analysis` that normalises and segments each distinct text once, the
first time a stage asks for it.  Nothing squashes or segments the same text
twice for one request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..text.analysis import words as _segment
from ..text.normalize import squash as _squash
from .query import ParsedQuery


class Analysis:
    """The analysed forms of one request's texts, each computed on first use.

    Lives as long as one request (a query holds at most 32 clauses of at most 1,000
    characters, plus the synonyms and spellings it was widened by), so what it keeps
    is bounded and dropped with the request.  Not shared between threads.
    """

    def __init__(self) -> None:
        self._squashed: dict[str, str] = {}
        self._words: dict[str, tuple[str, ...]] = {}

    def squash(self, text: str) -> str:
        """``text`` normalised without whitespace: the form phrases are matched in
        (:func:`search.text.normalize.squash`)."""
        s = self._squashed.get(text)
        if s is None:
            s = self._squashed[text] = _squash(text)
        return s

    def words(self, text: str) -> tuple[str, ...]:
        """The words of ``text`` as a query's: jieba's precise mode
        (:func:`search.text.analysis.words`), repeats kept."""
        ws = self._words.get(text)
        if ws is None:
            ws = self._words[text] = tuple(_segment(text))
        return ws

    def distinct_words(self, text: str) -> list[str]:
        """:meth:`words` of ``text`` without repeats, in order."""
        return list(dict.fromkeys(self.words(text)))


@dataclass
class QueryPlan:
    """One request's query: as typed, as evaluated, what was added, and its analysis."""

    q: str
    typed: ParsedQuery  # the query as the user wrote it (groups one for one with ``parsed``)
    parsed: ParsedQuery  # synonyms OR-ed in, pinyin names and words spelled out
    added: list[str] = field(default_factory=list)  # every word added: synonyms, then pinyin
    pinyin: list[str] = field(default_factory=list)  # those of ``added`` spelled by pinyin
    text: Analysis = field(default_factory=Analysis)

    @property
    def is_empty(self) -> bool:
        """Nothing to search for (the filters alone decide)."""
        return self.parsed.is_empty
