"""How many articles an import commits at a time.

Why a module of its own: the command line shows it as ``index --batch-size``'s default
without loading the writer, which reads it from here.
"""

# Articles per commit; each of the worker processes builds one segment from its share.
# Bounded by a worker's peak memory (its postings are sorted as arrays, so the peak
# grows with the segment): at this size two workers and the parent stay well under
# 2 GB (figures: bench/RESULTS.md, "Figures moved out of docstrings").
BATCH_SIZE = 16000
