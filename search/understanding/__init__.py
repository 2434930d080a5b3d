"""What a user meant and what else may help: synonyms, pinyin names, did-you-mean,
pasted headlines, suggestions as you type, related articles.

Imports ``search.text``, ``search.storage`` and ``search.retrieval``.
"""
