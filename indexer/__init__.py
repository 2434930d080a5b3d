"""Ingestion: readers for each input format, text repair, the index writer and its CLI."""
