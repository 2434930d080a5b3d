"""Which paper (报刊) an imported article belongs to: the ``[papers]`` settings, and the
rule that gives each article one key.

A paper is a short key (``ldwb``: the URL segment and filter value), a display name
(劳动午报), other names the sources print for it (aliases: 劳动午报社, 《劳动午报》),
and file-name patterns (``ldwb-*``, ``*/zhoukan/*``) for files that name it nowhere.

An article's paper, first found wins:

1. ``unionsearch index --paper KEY``: every article of that import;
2. a ``paper`` column of JSON Lines / CSV: a key, a name or an alias;
3. the name the source prints (an e-paper page's site name or masthead, a page dump's
   masthead line), when it is the name or an alias of a paper in ``[papers]`` or
   already in the index;
4. the first paper whose file-name patterns match the file's path;
5. none: the archive of one unnamed paper, as before papers existed.

A printed name nobody declared is ignored: an archive of one paper imported before
papers existed keeps every id when its page dumps and e-paper pages, which print their
masthead, are imported again.  A ``paper`` column is explicit: a name no setting knows
becomes its own paper, keyed by the initials of its pinyin (劳动午报 → ``ldwb``); the
key is refused (the row rejected, with the reason) when it would join a paper of
another name.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from search.retrieval.request import BadRequest, check_paper_key

from .records import Loaded, Rejection

MAX_PAPERS = 200  # papers in the settings: a union's press, not a catalogue
_DECOR = re.compile(r"[《》〈〉「」『』\"'“”\s\u3000]")


@dataclass(frozen=True)
class Paper:
    """One publication of the archive."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # fnmatch patterns, against the path and the file name


def fold(text: str) -> str:
    """A printed name as compared: NFKC, no brackets, quotes or spaces, lower case."""
    return _DECOR.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{what} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def parse_papers(value: Any) -> list[dict]:
    """The ``[papers]`` table of ``unionsearch.toml`` checked: ``{key: {name, aliases,
    files}}`` → a list of ``{"key", "name", "aliases", "files"}`` (the form settings keep).

    Raises ValueError naming the paper and the problem.
    """
    if value in (None, "", [], {}):
        return []
    if isinstance(value, list):  # already checked (a reload), or [[papers]] tables
        value = {str(p.get("key", "")): p for p in value if isinstance(p, dict)}
    if not isinstance(value, dict):
        raise ValueError('must be a table, e.g. [papers.ldwb] with name = "劳动午报"')
    if len(value) > MAX_PAPERS:
        raise ValueError(f"at most {MAX_PAPERS} papers, not {len(value)}")
    out = []
    for raw_key, spec in value.items():
        try:
            key = check_paper_key(str(raw_key))
        except BadRequest as exc:
            raise ValueError(f"paper {raw_key!r}: {exc}") from None
        if not isinstance(spec, dict):
            raise ValueError(f'paper {key}: must be a table with name = "…"')
        unknown = set(spec) - {"key", "name", "aliases", "files"}
        if unknown:
            raise ValueError(f"paper {key}: unknown field {sorted(unknown)[0]!r} "
                             "(known: name, aliases, files)")
        name = spec.get("name") or key
        if not isinstance(name, str) or len(name) > 40:
            raise ValueError(f"paper {key}: name must be text of at most 40 characters")
        out.append({"key": key, "name": name.strip() or key,
                    "aliases": list(_strings(spec.get("aliases", []), f"paper {key}: aliases")),
                    "files": list(_strings(spec.get("files", []), f"paper {key}: files"))})
    return out


@dataclass
class Papers:
    """The papers the settings name, and the rule of the module docstring."""

    papers: list[Paper] = field(default_factory=list)
    known: dict[str, str] = field(default_factory=dict)  # key → name, already in the index

    @classmethod
    def from_settings(cls, value: list[dict] | None, known: dict[str, str] | None = None
                      ) -> Papers:
        """From the checked ``papers`` setting (:func:`parse_papers`) and the index's names."""
        papers = [Paper(p["key"], p["name"], tuple(p.get("aliases", ())),
                        tuple(p.get("files", ()))) for p in value or ()]
        return cls(papers, dict(known or {}))

    def by_key(self, key: str) -> Paper | None:
        return next((p for p in self.papers if p.key == key), None)

    def name_of(self, key: str) -> str:
        """The display name of ``key``: the settings', the index's, else the key."""
        paper = self.by_key(key)
        return paper.name if paper else self.known.get(key) or key

    def resolve(self, text: str) -> str:
        """The key of the paper ``text`` names (a key, name or alias; an unknown name keyed
        by its pinyin initials); raises ValueError when no key can be made of it."""
        folded = fold(text)
        if not folded:
            raise ValueError("empty paper name")
        for p in self.papers:
            if folded in {fold(p.key), fold(p.name), *map(fold, p.aliases)}:
                return p.key
        for key, name in self.known.items():
            if folded in (fold(key), fold(name)):
                return key
        if re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", folded):
            return folded
        key = initials(text)
        if not key:
            raise ValueError(f"paper {text[:40]!r} has no letters to make a key of; "
                             "name it in [papers] of unionsearch.toml")
        taken = self.by_key(key)
        other = taken.name if taken else self.known.get(key)
        if other and fold(other) != folded:
            raise ValueError(f"paper {text[:40]!r} would get the key {key!r} of {other}; "
                             f"give it its own key in [papers] of unionsearch.toml")
        return key

    def known_key(self, text: str) -> str:
        """The key of the paper ``text`` names among those declared or in the index, else ""."""
        folded = fold(text)
        if not folded:
            return ""
        for p in self.papers:
            if folded in {fold(p.key), fold(p.name), *map(fold, p.aliases)}:
                return p.key
        return next((k for k, name in self.known.items() if folded in (fold(k), fold(name))),
                    "")

    def for_file(self, path: str) -> str:
        """The key of the first paper whose file-name patterns match ``path``, else ""."""
        norm = path.replace("\\", "/")
        base = norm.rsplit("/", 1)[-1]
        for p in self.papers:
            if any(fnmatch.fnmatch(norm, pat) or fnmatch.fnmatch(base, pat) for pat in p.files):
                return p.key
        return ""


# A paper's name as mastheads and site titles print it: 劳动午报, 工人日报数字报, 《现代工人》.
_PRINTED = re.compile(r"^《?([\u4e00-\u9fff]{2,12}?"
                      r"(?:日报|晚报|午报|周报|周刊|月刊|画报|杂志|报|刊))》?"
                      r"(?:数字报|电子报|电子版|数字版|报纸|网)?$")
_NOT_A_NAME = {"数字报", "电子报", "电子版", "数字版", "报纸"}


def printed_name(text: str) -> str:
    """The paper's name if ``text`` (one masthead or title part) is one, else "":
    劳动午报数字报 → 劳动午报, 《劳动午报》 → 劳动午报."""
    part = "".join((text or "").split())
    m = _PRINTED.match(part)
    return m.group(1) if m and part not in _NOT_A_NAME else ""


def initials(name: str) -> str:
    """A key from a Chinese name: the first letter of each character's pinyin, letters and
    digits kept (劳动午报 → ``ldwb``); "" when none."""
    from search.text.pinyin import syllables

    letters = "".join(s[0] for s in syllables(unicodedata.normalize("NFKC", name))
                      if s and s[0].isascii() and s[0].isalnum())
    return letters.lower()[:32]


def assign(items: Iterable[Loaded | Rejection], papers: Papers, forced: str = "",
           seen: dict[str, str] | None = None) -> Iterator[Loaded | Rejection]:
    """``items`` with each article's paper set to a key by the rule of the module docstring
    (``forced``: ``--paper``); ``seen`` collects key → display name of what was assigned.

    An article whose source names a paper no key can be made of is rejected, with why.
    """
    for item in items:
        if isinstance(item, Rejection):
            yield item
            continue
        art = item.article
        try:
            key = forced or (papers.resolve(art.paper) if art.paper else
                             papers.known_key(item.printed_paper)
                             or papers.for_file(item.source))
        except ValueError as exc:
            yield Rejection(item.source, item.where, str(exc))
            continue
        if key and seen is not None and key not in seen:
            printed = art.paper if art.paper and not forced and papers.by_key(key) is None \
                and fold(art.paper) != key else ""
            seen[key] = papers.name_of(key) if papers.by_key(key) or key in papers.known \
                else (printed or key)
        if key != art.paper:
            item = replace(item, article=replace(art, paper=key))
        yield item
