"""What a cached result is weighed at: everything it holds, counted once per reference."""

from __future__ import annotations

import sys

import numpy as np
from markupsafe import Markup

from search.storage.generations import approx_bytes


def test_a_result_weighs_what_it_holds():
    """Strings, numbers, dicts, lists and tuples nested in each other are all counted; a
    NumPy array by its buffer; subclasses (Markup, a dict subclass) like their bases."""
    body = "工会" * 500
    array = np.zeros(1000)

    class Facets(dict):
        pass

    value = {"hits": [{"title": Markup("<mark>工会</mark>"), "body": body, "score": 1.5,
                       "page": None, "verbatim": True}],
             "facets": Facets(year=[("2022", 3)]), "docs": array}
    expected = (sys.getsizeof(value) + sum(map(sys.getsizeof, value))
                + sys.getsizeof(value["hits"]) + sys.getsizeof(value["hits"][0])
                + sum(sys.getsizeof(k) + sys.getsizeof(v) for k, v in value["hits"][0].items())
                + sys.getsizeof(value["facets"]) + sys.getsizeof("year")
                + sys.getsizeof(value["facets"]["year"]) + sys.getsizeof(("2022", 3))
                + sys.getsizeof("2022") + sys.getsizeof(3)
                + array.nbytes + 112)
    assert approx_bytes(value) == expected
    assert approx_bytes(value) > len(body) * 2 + array.nbytes
