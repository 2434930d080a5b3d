"""A logistic score over named features, its weights kept as data beside the code.

Why: the page splitter weighs some of its decisions (does a lone short line start an
article; which line of a headline block is the title) with small logistic regressions
fitted on the tuned layout families by scripts in ``bench/``.  Each is declared once as a
:class:`LogisticScore` — its features with the words ``--dry-run`` says for them, its
weights file and the settings the fit writes beside the weights — and this module loads
the weights, scores and explains the same way for each.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LogisticScore:
    """One score: ``features`` maps each feature to what ``--dry-run`` calls it;
    ``weights_file`` holds the fit (``weights`` with a ``bias``, each feature's ``means``,
    and ``settings``: the decision's settings, such as the ``threshold`` the probability
    must reach, with their defaults here when the fit does not say)."""

    def __init__(self, weights_file: Path, features: dict[str, str],
                 settings: dict[str, float]):
        self.weights_file = weights_file
        self.features = features
        self.settings = settings
        self._off = False
        self._loaded: tuple[dict[str, float] | None] | None = None

    @contextmanager
    def off(self) -> Iterator[None]:
        """The splitter without this score (its hand-set rule decides): how a fit gathers
        its rows, so that they do not depend on the weights being fitted."""
        was, self._off = self._off, True
        try:
            yield
        finally:
            self._off = was

    def weights(self) -> dict[str, float] | None:
        """The fitted weights (feature → weight, ``bias``, the settings, ``mean:feature``);
        None when none were fitted for these features or the score is ``off``."""
        if self._off:
            return None
        if self._loaded is None:
            self._loaded = (self._load(),)
        return self._loaded[0]

    def _load(self) -> dict[str, float] | None:
        try:
            data = json.loads(self.weights_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        w = data.get("weights")
        if not isinstance(w, dict) or set(w) != set(self.features) | {"bias"}:
            return None  # fitted for other features: not used
        out = {k: float(v) for k, v in w.items()}
        for k, default in self.settings.items():
            out[k] = float(data.get(k, default))
        means = data.get("means") or {}
        for k in self.features:  # a feature's typical value: what --dry-run measures against
            out["mean:" + k] = float(means.get(k, 0.0))
        return out

    def probability(self, features: dict[str, float], w: dict[str, float]) -> float:
        """The model's probability of the decision it was fitted for."""
        z = w["bias"] + sum(w[k] * features[k] for k in self.features)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def explain(self, features: dict[str, float], w: dict[str, float], top: int = 3) -> str:
        """The features that pushed the decision most against a typical case, as
        ``feature = its value: +1.2`` (towards yes) or ``-1.2`` (towards no)."""
        parts = sorted(((w[k] * (features[k] - w["mean:" + k]), k) for k in self.features),
                       key=lambda p: -abs(p[0]))[:top]
        return ", ".join(f"{self.features[k]} = {features[k]:.3g}: {v:+.1f}"
                         for v, k in parts if abs(v) >= 0.05)
