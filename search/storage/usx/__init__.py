"""The ``.usx`` postings format: the title and body postings of one Whoosh segment.

:mod:`search.storage.usx.postings` builds a segment's file in bulk with NumPy and reads
it by slices; :mod:`search.storage.usx.varint` is its integer coding.  Which fields it
holds and how their text is cut is :mod:`search.schema`'s; the byte layout, and
what to bump when it changes, is in ``README.md`` beside this file.
"""

from .postings import (
    FORMAT_TAG,
    MAGIC,
    SUFFIX,
    VERSION,
    SegmentFileError,
    SegmentPostings,
    TermPostings,
    build,
    decode_field,
    segment_path,
    write,
)

__all__ = ["FORMAT_TAG", "MAGIC", "SUFFIX", "VERSION", "SegmentFileError", "SegmentPostings",
           "TermPostings", "build", "decode_field", "segment_path", "write"]
