"""The engine core: schema, Chinese text analysis, query parsing, searching, highlighting.

Imports nothing from ``indexer`` or ``web``.
"""
