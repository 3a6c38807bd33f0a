"""How search time grows with the case file: p50 and p90 at 10,000 and 100,000 sources.

For each of two PostgreSQL databases — the case file plus a synthetic one with about
10,000 sources, and with about 100,000 — it times a fixed list of queries (what readers
of the paper type, and words that fill the synthetic records) through the whole stack,
``/api/v1/search/`` called as a WSGI server calls it, with DEBUG off; and the
suggestions offered as one types (``/api/v1/search/suggest/``). Each query's time is the
median of ``--repeat`` requests after one to warm up; p50 and p90 are taken over the
queries. It prints both tables and the ratio of the large database's p50 to the small
one's (the target is 2× at most; the exit status is 1 above ``--target``).

    createdb -h 127.0.0.1 -U postgres search_10k; createdb -h 127.0.0.1 -U postgres search_100k
    python benchmarks/search_benchmark.py --prepare \\
        postgres://postgres@127.0.0.1:5432/search_10k postgres://postgres@127.0.0.1:5432/search_100k

``--prepare`` fills each (empty) database first: migrate, load_casefile, then
build_synthetic_casefile at the scale giving the number of sources wanted (50,000 at
scale 1), then rebuild_search_index. Each database is measured in a process of its own
(the settings read ``DATABASE_URL`` when Django starts).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES_AT_SCALE_ONE = 50_000
SIZES = (10_000, 100_000)
QUERIES = [
    # What readers of the paper type.
    "Nazarbaev",
    "Mazhilis",
    "Manas air base",
    "joins Partnership for Peace",
    "Steppe Eagle 2008",
    "Aktobe",
    "Steppe Eagle",
    "Kazakhstan",
    "ISAF headquarters officers",
    "Majilis",
    # Names and words of the synthetic records, some in every record of a kind.
    "Actor 1234",
    "Author17",
    "Ministry 5",
    "Report on the case",
    "Outlet 42",
    "cooperation agreement",
]
SUGGESTED = ["naz", "step", "kaz", "acto", "auth", "repo"]


def measure(repeat):
    """Time every query against the database of this process; return the medians (ms)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casefile.settings")
    os.environ.setdefault("DEBUG", "1")  # the development key; the requests run with DEBUG off
    import django

    django.setup()
    from urllib.parse import urlencode

    from django.test.utils import override_settings

    from apps.sources.models import Source
    from benchmarks.api_benchmark import wsgi_client

    get = wsgi_client()

    def median_ms(path, q):
        query = urlencode({"q": q})
        status, _ = get(path, query)  # warm: the first request of a kind reads its pages from disk
        assert status == 200, (path, q, status)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            get(path, query)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    with override_settings(ALLOWED_HOSTS=["testserver", "localhost"], DEBUG=False):
        search = {q: median_ms("/api/v1/search/", q) for q in QUERIES}
        suggest = {q: median_ms("/api/v1/search/suggest/", q) for q in SUGGESTED}
    return {"sources": Source.objects.count(), "search": search, "suggest": suggest}


def prepare(database_url, sources):
    scale = sources / SOURCES_AT_SCALE_ONE
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "-v0"],
        ["load_casefile", "-v0"],
        ["build_synthetic_casefile", "--force", "--scale", str(scale)],
        ["rebuild_search_index"],
    ):
        print("$", " ".join(command), flush=True)
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("small", nargs="?", help="PostgreSQL URL of the database with 10,000 sources.")
    parser.add_argument("large", nargs="?", help="PostgreSQL URL of the database with 100,000 sources.")
    parser.add_argument("--prepare", action="store_true", help="Fill the two (empty) databases first.")
    parser.add_argument("--repeat", type=int, default=9, help="Timed requests per query (default 9).")
    parser.add_argument("--target", type=float, default=2.0, help="Largest acceptable p50 ratio (default 2).")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # a child process
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(options.repeat)))
        return 0
    if not (options.small and options.large):
        parser.error("give the URLs of the two databases")
    results = []
    for url, sources in zip((options.small, options.large), SIZES, strict=True):
        if not url.startswith("postgres"):
            parser.error("the benchmark is for PostgreSQL: give postgres:// URLs")
        if options.prepare:
            prepare(url, sources)
        child = subprocess.run(
            [sys.executable, __file__, "--measure", "--repeat", str(options.repeat)],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))

    small, large = results
    print(f"\n| query | {small['sources']:,} sources, ms | {large['sources']:,} sources, ms | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for part, label in (("search", "search"), ("suggest", "suggest")):
        for q in small[part]:
            a, b = small[part][q], large[part][q]
            print(f"| {label} “{q}” | {a:.1f} | {b:.1f} | {b / a:.2f}× |")
    summary = {}
    for part in ("search", "suggest"):
        for name, fraction in (("p50", 0.5), ("p90", 0.9)):
            a = percentile(list(small[part].values()), fraction)
            b = percentile(list(large[part].values()), fraction)
            summary[(part, name)] = b / a
            print(f"{part} {name}: {a:.1f} ms at {small['sources']:,} sources, {b:.1f} ms at "
                  f"{large['sources']:,}: {b / a:.2f}×")
    ratio = summary[("search", "p50")]
    print(f"\nsearch p50 ratio 100k/10k: {ratio:.2f}× (target at most {options.target}×)")
    return 0 if ratio <= options.target else 1


if __name__ == "__main__":
    sys.exit(main())
