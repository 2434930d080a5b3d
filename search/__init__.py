"""The engine core, in subpackages by concern (ARCHITECTURE.md, "Layout").

``text`` Chinese text analysis; ``storage`` the index on disk and its generations;
``retrieval`` a query evaluated; ``understanding`` what a user meant; ``reports`` issues,
trends, reporters, exports.  At the root: the article model (``schema``, ``document``,
``dedupe``), the C module (``native``), and :mod:`search.engine`, what the command line
and the web app call.

Imports nothing from ``indexer`` or ``web``.
"""
