"""A learned score for the page-dump headline block: of its first two headline lines, is
the first the title (the second a subtitle, an author line, a 导语) or a kicker (引题) over
the title?

Why: the splitter's hand-set chain for a block (``pagedump._split_heads``) takes the first
rule that fires (a short line above is a kicker, a comma'd line under is a subtitle, the
story's words decide between two plain lines); each rule alone is right most of the time,
but the cues are better weighed together: the lines' lengths and shapes, whether the
second reads as a name, a place or a sentence, how much of the story repeats each line's
words, what the block is followed by, and how the page prints its other blocks.  Here
each is a feature of one logistic regression fitted on the layout families the splitter
was tuned on only (``bench/fit_headscore.py`` writes ``headscore.json``); the held-out
families measure it.

The score overrules the hand-set chain only where it is sure (its probability at least
``threshold`` one way or the other); typography that decides alone (the title's
（附图片１张）, a ——subtitle) is never scored.  ``explain`` names the features that
decided, for ``unionsearch index --dry-run``.
"""

from __future__ import annotations

from pathlib import Path

from .logistic import LogisticScore

WEIGHTS_FILE = Path(__file__).with_name("headscore.json")

# Each feature, and what it is called in --dry-run.
FEATURES: dict[str, str] = {
    "rule": "the hand-set chain says the first line is the title",
    "short_a": "a first line of 8 characters or less",
    "sentence_a": "the first line reads as a sentence (，；)",
    "sentence_b": "the second line reads as a sentence (，；。)",
    "end_b": "the second line ends in 。 or ——",
    "place_b": "the second line names a place alone",
    "author_b": "the second line reads as an author line (names, unit + name)",
    "question_a": "the first line asks a question",
    "dash_a": "the first line carries its own ——",
    "spaced_a": "the first line set with spaces or ·",
    "spaced_b": "the second line set with spaces or ·",
    "share_a": "share of the first line's words the story repeats",
    "share_b": "share of the second line's words the story repeats",
    "story_picks_a": "the story repeats the first line's words (a third) and not the second's",
    "saying_a": "the first line ends in a verb of saying (要求, 指出, 强调 …)",
    "more_lines": "more than two headline lines",
    "dateline_after": "the story under the block opens with a dateline",
    "page_blocks": "share of the page's headline blocks with two lines or more",
}


SCORE = LogisticScore(WEIGHTS_FILE, FEATURES, {"threshold": 0.9})
off = SCORE.off
weights = SCORE.weights
probability = SCORE.probability
explain = SCORE.explain
