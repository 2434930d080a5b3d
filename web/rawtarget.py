"""Request targets with raw UTF-8 bytes, as ``curl 'http://…/search?q=工匠精神'`` sends them.

RFC 3986 allows only ASCII in a request target, and waitress answers anything else
with 400 "Bad URI" (``urllib.parse.urlsplit`` decodes its bytes as ASCII).  Browsers
percent-encode before sending; curl, wget and scripts send what they are given, and
nginx and Flask's development server accept it.  Here each byte from 0x80 up in the
request line is percent-encoded before waitress parses it: the path and query string
the app sees are those of the same request sent percent-encoded, byte for byte.
"""

from __future__ import annotations

import re

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser

_HIGH = re.compile(rb"[\x80-\xff]")


def percent_encode_high(line: bytes) -> bytes:
    """``line`` with each byte from 0x80 up written as ``%XX`` (ASCII left alone)."""
    return _HIGH.sub(lambda m: b"%%%02X" % m.group()[0], line)


class RawTargetParser(HTTPRequestParser):
    """waitress's parser, the request line's non-ASCII bytes percent-encoded first."""

    def parse_header(self, header_plus: bytes) -> None:
        """Parse as waitress does, after :func:`percent_encode_high` on the first line."""
        end = header_plus.find(b"\r\n")
        if end > 0 and _HIGH.search(header_plus, 0, end):
            header_plus = percent_encode_high(header_plus[:end]) + header_plus[end:]
        super().parse_header(header_plus)


class RawTargetChannel(HTTPChannel):
    """waitress's connection, parsing requests with :class:`RawTargetParser`."""

    parser_class = RawTargetParser
