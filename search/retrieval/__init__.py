"""A query evaluated: the query language, the request's limits, the plan every stage
reads, evaluation and BM25F, partial matches, centrality, highlighting.

Imports ``search.text`` and ``search.storage``.
"""
