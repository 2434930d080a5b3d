"""Ingestion: readers for each input format, text repair and the index writer.

The command line that drives it is ``web/cli.py``.
"""
