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

from pathlib import Path

from .logistic import LogisticScore

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


SCORE = LogisticScore(WEIGHTS_FILE, FEATURES, {"threshold": 0.5, "rule_floor": 0.0})
off = SCORE.off
weights = SCORE.weights
probability = SCORE.probability
explain = SCORE.explain
