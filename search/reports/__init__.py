"""The archive seen other than as a list of hits: issues by 版面, trends over time,
reporters, exports.

Imports every package below it and ``search.results``.
"""
