"""The bench mix run inside this process, without HTTP: each bench query as the service's
own request, and the engine opened and warmed the same way for every bench that times
searches in process (`ranking_latency`, `mix_latency`, `skipping`, `early`, `stages`,
`places`), so their figures differ only in what they measure."""

from __future__ import annotations

from bench import queries as bq
from search import results
from search.engine import Engine, archive_dates
from search.retrieval.request import SearchRequest


def request(q: bq.BenchQuery) -> SearchRequest:
    """The search request the service would make of the bench query ``q``."""
    p = q.params()
    return SearchRequest.from_params(q=p.get("q"), reporters=[p["reporter"]] if "reporter" in p
                                     else (), date_from=p.get("from"), date_to=p.get("to"),
                                     sort=p.get("sort"))


def warmed(index_dir: str, corpus: str, seed: int, per_class: int):  # noqa: ANN201 - (state, table, mix)
    """The index at ``index_dir`` opened (no synonyms file), its synonym table, and the
    mix of ``per_class`` queries a class drawn from ``corpus``; two queries a class have
    been run first so that no timed query pays for loading."""
    engine = Engine(index_dir, synonyms_file="")
    st = engine.state()
    table = engine.synonyms.current()
    mix, warm = bq.build(corpus, seed, per_class, warm_per_class=2)
    for q in warm:
        results.run(st, request(q).within(*archive_dates(st)), table)
    return st, table, mix
