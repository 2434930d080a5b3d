"""Chinese text analysis: the fold, word segmentation, which words are indexed and
queried, pinyin and keywords.

Imports nothing else of ``search`` but the C module.
"""
