"""The printed page: text lines with their place on a page (from a PDF's text layer or from
OCR), and the articles a page is cut into.

:mod:`.lines` is the model both sources fill, :mod:`.segment` cuts a page into articles.
"""
