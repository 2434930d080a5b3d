"""What an export can be: its file formats and the most articles it holds.

Why a module of its own: the command line lists them in ``search --help`` without loading
the exporter (:mod:`search.reports.export`), which reads them from here.
"""

MAX_EXPORT_ROWS = 10_000
FORMATS = ("csv", "xlsx")
