"""The index on disk and its generations: the folder, Whoosh, segments and their
``.usx`` postings, checksums, per-document arrays, merges, and which generation
searches read.

Imports ``search.text`` and the article model (``search.schema``,
``search.document``), never the query side.
"""
