"""Warm (cached) and cold request times of every page type and API list, through WSGI.

Each address is requested as a WSGI server such as gunicorn calls Django (production
mode: DEBUG off, the reader cache on), by an anonymous reader: *cold* with the cache
emptied before each request (every query and template runs; what the database keeps
stays: sources' formatted references, and the unfiltered lists' facet counts stored after
the last write), *warm* from the cache (what a reader gets until the
next write). It prints the median milliseconds of each, and checks the targets:

- every warm page type and API list under ``--warm-target`` ms (default 5);
- ``/sources/bibliography/`` cold under ``--bibliography-target`` ms (default 100);
- with ``--list-ratio``: each HTML list page, cold, within ``--ratio-target`` (default
  1.5) times its API list, cold: the synthetic case file's measure. Both are asked for the
  same number of rows (``--page-size``, default 100, the API's largest page), so the
  ratio is what the page's facets, sorting and rendering cost beyond the API's work.
  It also prints the ratio of *turning the page*: each request a response not yet cached
  (another page size stands for another page), the facet counts kept by revision after the
  first: what a reader paging through a list waits between two writes. Each ratio is the
  median of page-and-API pairs timed back to back, which a busy machine skews less than
  two medians taken minutes apart.

The exit status is 1 when a target is missed. Times depend on the machine and its load:
compare runs of one day, and read the ratios.

    export DEBUG=1  # the development key for setting up; the timed requests run with DEBUG off
    DATABASE_URL=sqlite:////tmp/casefile.sqlite3 python manage.py migrate
    DATABASE_URL=sqlite:////tmp/casefile.sqlite3 python manage.py load_casefile
    DATABASE_URL=sqlite:////tmp/casefile.sqlite3 python benchmarks/page_benchmark.py
    # the synthetic scale: build_synthetic_casefile into another database, then
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python benchmarks/page_benchmark.py --list-ratio --only-lists
"""

import argparse
import statistics
import sys
import time

from api_benchmark import setup_django, wsgi_client

SEARCH_QUERY = "q=Manas+air+base"


def addresses(only_lists=False, page_size=100):
    """(label, path, query) of every page type and API list, from the registry."""
    from django.urls import reverse

    from apps.whole_case.models import Collection
    from apps.whole_case.registry import RECORD_TYPES, navigation_types

    lists = []
    for record_type in RECORD_TYPES:
        if record_type.in_navigation:
            lists.append((f"{record_type.key} page", reverse(record_type.list_url_name), f"page_size={page_size}"))
        lists.append((f"{record_type.key} API", reverse(record_type.api_list_url_name), f"page_size={page_size}"))
    if only_lists:
        return lists
    pages = [
        ("overview", "/", ""),
        ("timeline", "/timeline/", ""),
        ("network", "/actors/network/", ""),
        ("search", "/search/", SEARCH_QUERY),
        ("bibliography", "/sources/bibliography/", ""),
        ("timeline API", "/api/v1/timeline/", "page_size=100"),
    ]
    collection = Collection.objects.published().first()
    if collection is not None:
        pages.append(("collection", collection.get_absolute_url(), ""))
    for record_type in navigation_types():
        record = record_type.model.objects.published().order_by("pk").first()
        if record is not None:
            pages.append((f"{record_type.key} detail", record.get_absolute_url(), ""))
    return pages + lists


def median_ms(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def timed_ms(function):
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def list_ratios(get, page_path, api_path, page_size, repeat):
    """(cold, turning pages): the medians of the HTML list's time over its API list's, each
    pair timed one after the other so that the machine's drift touches both alike.

    *Cold*: the cache emptied before each request. *Turning pages*: responses not yet
    cached, after one request of each has counted the page's facets (kept by revision):
    each pair asks for another page size, one row fewer each time, so no response comes
    from the cache while the facet counts do."""
    from django.core.cache import cache

    def cold(path):
        cache.clear()
        return timed_ms(lambda: get(path, f"page_size={page_size}"))

    cold_ratios = [cold(page_path) / cold(api_path) for _ in range(repeat)]
    cache.clear()
    get(page_path, f"page_size={page_size}")
    get(api_path, f"page_size={page_size}")
    turning = []
    for size in range(page_size - 1, max(page_size - 1 - repeat, 0), -1):
        page_ms = timed_ms(lambda size=size: get(page_path, f"page_size={size}"))
        turning.append(page_ms / timed_ms(lambda size=size: get(api_path, f"page_size={size}")))
    return statistics.median(cold_ratios), statistics.median(turning)


def stored_facets_note():
    """Say whether the unfiltered lists' facet counts are stored at the current revision,
    as after any write; a database written around the services (built before they were
    stored) gets them stored now, as its next write would, and the note says so."""
    from apps.core.caching import store_fragments
    from apps.core.models import CaseFileRevision, StoredFragment

    def stored_now():
        return StoredFragment.at(CaseFileRevision.current()).count()

    if stored_now():
        print(f"facet counts of {stored_now()} unfiltered lists stored at the current revision, as after any write")
        return
    store_fragments()
    print(f"facet counts were not stored at the current revision; stored now for {stored_now()} lists, as by a write")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed requests of each kind per address (default 15)")
    parser.add_argument("--warm-target", type=float, default=5.0, help="warm ms above which the exit status is 1")
    parser.add_argument("--bibliography-target", type=float, default=100.0, help="cold bibliography ms (default 100)")
    parser.add_argument("--list-ratio", action="store_true", help="check each HTML list (cold) against its API list")
    parser.add_argument("--ratio-target", type=float, default=1.5, help="HTML list / API list, cold (default 1.5)")
    parser.add_argument("--only-lists", action="store_true", help="only the list pages and API lists")
    parser.add_argument(
        "--page-size", type=int, default=100, help="rows of each HTML list and API list (default 100, at most 100)"
    )
    args = parser.parse_args()

    setup_django()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import override_settings

    get = wsgi_client()
    missed = []
    stored_facets_note()
    paths_by_label = {}
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); anonymous; median of {args.repeat}")
    print(f"{'address':<44}{'status':>7}{'KB':>8}{'cold ms':>10}{'warm ms':>10}")
    with override_settings(ALLOWED_HOSTS=["localhost"], DEBUG=False):
        for label, path, query in addresses(args.only_lists, args.page_size):
            status, body = get(path, query)  # warm-up: imports, templates, the connection

            def cold(path=path, query=query):
                cache.clear()
                get(path, query)

            cold_ms = median_ms(cold, args.repeat)
            get(path, query)
            warm_ms = median_ms(lambda path=path, query=query: get(path, query), args.repeat)
            paths_by_label[label] = path
            address = f"{path}?{query}" if query else path
            print(f"{address:<44}{status:>7}{len(body) / 1024:>8.0f}{cold_ms:>10.1f}{warm_ms:>10.2f}")
            if status != 200:
                missed.append(f"{address} answered {status}")
            if warm_ms > args.warm_target:
                missed.append(f"{address} warm {warm_ms:.2f} ms > {args.warm_target:g} ms")
            if label == "bibliography" and cold_ms > args.bibliography_target:
                missed.append(f"{address} cold {cold_ms:.0f} ms > {args.bibliography_target:g} ms")
    if args.list_ratio:
        print(f"\n{'list':<16}{'page / API (cold)':>20}{'turning pages':>16}   (medians of {args.repeat} pairs)")
        with override_settings(ALLOWED_HOSTS=["localhost"], DEBUG=False):
            for label, path in paths_by_label.items():
                api = label.replace(" page", " API")
                if not (label.endswith(" page") and api in paths_by_label):
                    continue
                cold, turning = list_ratios(get, path, paths_by_label[api], args.page_size, args.repeat)
                print(f"{label.removesuffix(' page'):<16}{cold:>19.2f}×{turning:>15.2f}×")
                if cold > args.ratio_target:
                    missed.append(f"{label} is {cold:.2f}× its API list, cold > {args.ratio_target:g}×")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
