"""Whoosh's W3 codec, writing the same on-disk format with less Python per term.

Whoosh indexes only ids, reporters and dates (the text postings are in
:mod:`search.postings`), but every article still adds about ten postings, most
of them to terms that occur once: a date's precision terms, its id.  The
stock writer pickles a block header and starts a zlib stream for each such
term, and looks up a field length per posting even for unscored fields.  This
codec

* inlines posting lists of up to :data:`INLINE_LIMIT` postings into the term
  table (Whoosh supports reading them; its writer's ``inlinelimit`` option
  calls a misspelt method and so cannot be used),
* compresses a block only when it is large enough for zlib to pay, and
* skips field-length lookups for unscored fields.

Everything it writes is read by the unmodified Whoosh reader.
"""

from __future__ import annotations

import zlib
from pickle import dumps

from whoosh.codec import whoosh3
from whoosh.system import emptybytes
from whoosh.util.numeric import length_to_byte

INLINE_LIMIT = 8
COMPRESS_MIN_BYTES = 96


class FastPostingsWriter(whoosh3.W3PostingsWriter):
    def add_posting(self, id_, weight, vbytes, length=None):
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def finish_postings(self):
        terminfo = self._terminfo
        if not self.written() and len(self) <= self._inlinelimit:
            terminfo.add_block(self)
            # Whole-number weights pickle as small ints (2 bytes), not floats (9).
            weights = [int(w) if w.is_integer() else w for w in self._weights]
            # Formats without values (frequency, existence) still need one per
            # posting: Whoosh's merge reads them back and insists on bytes.
            values = self._values or [emptybytes] * len(self._ids)
            terminfo.set_inlined(self._ids, weights, values)
        else:
            if self._ids:
                self._write_block(last=True)
            startoffset = self._startoffset
            terminfo.set_extent(startoffset, self._postfile.tell() - startoffset)
        self._terminfo = None
        return terminfo

    def _mini_weights(self):
        weights = self._weights
        if all(w == 1.0 for w in weights):
            return None
        # Term frequencies are whole numbers: small ints pickle in 2 bytes, floats in 9.
        return tuple(int(w) if w.is_integer() else w for w in weights)

    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
        comp = self._compression if len(databytes) >= COMPRESS_MIN_BYTES else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        infobytes = dumps((len(ids), ids[-1], self._maxweight, comp,
                           length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class FastFieldWriter(whoosh3.W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        """Same contract as Whoosh's; lengths are looked up for scored fields only."""
        dfl = lengths.doc_field_length if lengths else None
        lastfn = lasttext = None
        scored = False
        add = self.add
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lasttext is not None:
                    self.finish_term()
                if lastfn is not None:
                    self.finish_field()
                fieldobj = schema[fieldname]
                self.start_field(fieldname, fieldobj)
                scored = bool(dfl and fieldobj.scorable)
                lastfn, lasttext = fieldname, None
            if docnum == -1:
                continue
            if btext != lasttext:
                if lasttext is not None:
                    self.finish_term()
                self.start_term(btext)
                lasttext = btext
            add(docnum, weight, emptybytes if value is None else value,
                dfl(docnum, fieldname) if scored else 0)
        if lasttext is not None:
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


class FastCodec(whoosh3.W3Codec):
    """W3 format, faster writer (see module docstring)."""

    def __init__(self, blocklimit=128, compression=3, inlinelimit=INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression,
                         inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return FastFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return FastPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                  compression=self._compression,
                                  inlinelimit=self._inlinelimit)
