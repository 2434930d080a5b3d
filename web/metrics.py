"""``/metrics`` in the Prometheus text format, made by the official client library.

Off by default (``--metrics`` or ``metrics = true``; a reload turns it on or off): the
numbers are for the union's monitoring system, not the public.  The monitoring system
scrapes the service's own address; a request that came through a reverse proxy (it
carries ``X-Forwarded-*`` or ``Forwarded`` from a trusted proxy, as every request
through the shipped nginx snippet does) is answered 404, so a proxy that forwards
every path does not publish the numbers.  Each app gets its own registry, so two apps
in one process (tests) never share counters.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from flask import Flask, Response, abort, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from search.engine import Engine

from .app import FORWARDED_HEADERS

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class IndexCollector:
    """Read at scrape time: index documents, segments, generation, last import, and the
    result cache's hits and misses."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Read at every scrape, so the numbers are those of the generation served now."""
        facts = self.engine.facts()
        for name, doc, value in (
                ("unionsearch_index_documents", "Live articles in the served index.",
                 facts["documents"]),
                ("unionsearch_index_segments", "Segments of the served generation.",
                 facts["segments"]),
                ("unionsearch_index_generation", "The served index generation.",
                 facts["generation"]),
                ("unionsearch_last_import_timestamp_seconds",
                 "Unix time of the served generation's commit.", facts["last_import"] or 0)):
            yield GaugeMetricFamily(name, doc, value=value)
        hits, misses = self.engine.cache_counts()
        yield CounterMetricFamily("unionsearch_cache_hits",
                                  "Searches answered from the result cache.", value=hits)
        yield CounterMetricFamily("unionsearch_cache_misses",
                                  "Searches evaluated against the index.", value=misses)


def install_metrics(app: Flask, engine: Engine) -> CollectorRegistry:
    """Count every request by route and status, time it, and serve ``GET /metrics``."""
    registry = CollectorRegistry()
    requests = Counter("unionsearch_requests", "HTTP requests by route and status.",
                       ["route", "status"], registry=registry)
    latency = Histogram("unionsearch_request_seconds", "Time to answer, by route.",
                        ["route"], buckets=BUCKETS, registry=registry)
    registry.register(IndexCollector(engine))

    @app.before_request
    def _start_clock() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(resp: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "unmatched"
        requests.labels(route, str(resp.status_code)).inc()
        started = g.get("metrics_started")
        if started is not None:
            latency.labels(route).observe(time.perf_counter() - started)
        return resp

    def metrics() -> Response:
        if not app.config.get("METRICS") or any(
                key in request.environ for key in FORWARDED_HEADERS):
            abort(404)
        resp = Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
        resp.headers["Cache-Control"] = "no-store"
        return resp

    app.add_url_rule("/metrics", "metrics", metrics)
    return registry
