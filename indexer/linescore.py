"""A learned score for one page-dump decision: is a lone short line between paragraphs a
headline (a new article starts) or part of the article above (a subhead, a cut line)?

Why: the splitter's hand-set evidence for such a line (``pagedump._lone_evidence``: column
break, topic, subhead cues) is one sum with a fixed threshold; the line's own shape and
the page around it (its length against the page's paragraphs, how the paragraph above
ends, whether the text under it opens a list, how much of the story repeats its words)
say more when weighed together.  Here each of those is a feature, combined by a small
logistic regression whose weights were fitted on the layout families the splitter was
tuned on only (``bench/fit_linescore.py`` writes ``linescore.json``); the held-out
families measure it.

The score overrules the hand-set rule only where it is sure: a line is a headline when
its probability reaches ``threshold``, or when the rule says so and the probability is at
least ``rule_floor``.  ``explain`` names the features that decided, for ``unionsearch
index --dry-run``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("linescore.json")

# Each feature, and what it is called in --dry-run.
FEATURES: dict[str, str] = {
    "fragment": "column-break evidence",
    "topic": "its words before it rather than after (-2..2)",
    "subhead": "subhead cues (section marks, a feature only begun)",
    "vocab": "words shared by the text under it and the article (-2 none, 1 many)",
    "repeated": "the next paragraph opening with it",
    "length": "its length (log)",
    "short_for_page": "under a tenth of the page's median paragraph",
    "prev_short": "a short paragraph above",
    "prev_closes": "the paragraph above ending a sentence",
    "next_list": "a list under it (１、 △ ●)",
    "so_far": "length of the article above (log)",
    "story_share": "share of its words the story repeats",
    "names": "names only",
    "non_final": "a function word at its end",
    "typography": "quotes, ！？, spaces or ·",
    "digits": "digits",
}


_off = False


@contextmanager
def off() -> Iterator[None]:
    """The splitter without the score (its hand-set rule decides): how the training rows are
    gathered, so they do not depend on the weights being fitted."""
    global _off
    was, _off = _off, True
    try:
        yield
    finally:
        _off = was


def weights() -> dict[str, float] | None:
    """The fitted weights (feature → weight, ``bias``, and the ``threshold`` a headline's
    probability must reach); None when none were fitted or the score is ``off``."""
    return None if _off else _load()


@lru_cache(maxsize=1)
def _load() -> dict[str, float] | None:
    try:
        data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    w = data.get("weights")
    if not isinstance(w, dict) or set(w) != set(FEATURES) | {"bias"}:
        return None  # fitted for other features: not used
    out = {k: float(v) for k, v in w.items()}
    out["threshold"] = float(data.get("threshold", 0.5))
    out["rule_floor"] = float(data.get("rule_floor", 0.0))
    means = data.get("means") or {}
    for k in FEATURES:  # a feature's typical value: what --dry-run measures a line against
        out["mean:" + k] = float(means.get(k, 0.0))
    return out


def probability(features: dict[str, float], w: dict[str, float]) -> float:
    """The model's probability that the line is a headline."""
    z = w["bias"] + sum(w[k] * features[k] for k in FEATURES)
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def explain(features: dict[str, float], w: dict[str, float], top: int = 3) -> str:
    """The features that pushed the decision most against a typical lone line, as
    ``feature = its value: +1.2`` (towards a headline) or ``-1.2`` (towards text)."""
    parts = sorted(((w[k] * (features[k] - w["mean:" + k]), k) for k in FEATURES),
                   key=lambda p: -abs(p[0]))[:top]
    return ", ".join(f"{FEATURES[k]} = {features[k]:.3g}: {v:+.1f}" for v, k in parts
                     if abs(v) >= 0.05)
