"""How much the REST API costs on top of its database work, per list endpoint.

For each main list endpoint at page size 100, it measures the median time of a
request through the whole Django stack, called as a WSGI server such as gunicorn calls
it (request signals and connection handling, middleware, authentication, filtering,
pagination with its count, serialization, JSON rendering), and next to
it the median time of the *raw baseline*: the very SQL statements the request ran,
executed again with a plain cursor and their rows encoded to JSON. The ratio is
what the API layer costs on top of fetching and encoding the same rows. Both run with
DEBUG off, as in production.

Run it on a synthetic case file in a separate database:

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python manage.py build_synthetic_casefile
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python benchmarks/api_benchmark.py

Options: endpoint names (only those; default all), --repeat N (timed requests per
endpoint, each followed by its raw replay; default 25), --staff (request as a staff
user, who also sees drafts; default anonymous), --target 3 (the ratio above which the
exit status is 1), --raw-encoder json|orjson (how the baseline encodes its rows: the
standard library's json module, as the baseline has always done, or orjson, the encoder
the API itself uses, for a stricter baseline).
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ENDPOINTS = [
    "actors",
    "affiliations",
    "agreements",
    "deployments",
    "exercises",
    "events",
    "places",
    "sources",
    "citations",
]


def setup_django():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casefile.settings")
    # Loads with the development key on this machine; the timed requests run with DEBUG
    # off all the same (override_settings in main), as in production.
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def wsgi_client(cookie=""):
    """A function that GETs a path through Django's WSGI handler, as a WSGI server
    would, and returns the status and body. Django's test client would skip what a
    server does around each request (closing or keeping the database connection)."""
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()

    def get(path, query):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "HTTP_COOKIE": cookie,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        body = b"".join(handler(environ, lambda status, headers: statuses.append(status)))
        return int(statuses[0].split()[0]), body

    return get


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def median_times(first, second, repeat):
    """Median times of two functions, run in turn, so that a machine that slows down or
    speeds up during the run affects both sides of the ratio alike."""
    first_times, second_times = [], []
    for _ in range(repeat):
        first_times.append(timed(first))
        second_times.append(timed(second))
    return statistics.median(first_times), statistics.median(second_times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=25, help="timed requests per endpoint (default 25)")
    parser.add_argument("--staff", action="store_true", help="request as staff, who also see drafts")
    parser.add_argument("--target", type=float, default=3.0, help="exit 1 above this ratio (default 3)")
    parser.add_argument("--page-size", type=int, default=100, help="records per page (default 100)")
    parser.add_argument(
        "--raw-encoder",
        choices=["json", "orjson"],
        default="json",
        help="the baseline's JSON encoder: json (default, as always) or orjson (the API's own; stricter)",
    )
    parser.add_argument("endpoints", nargs="*", metavar="endpoint", help=f"only these, of: {', '.join(ENDPOINTS)}")
    args = parser.parse_args()
    unknown = sorted(set(args.endpoints) - set(ENDPOINTS))
    if unknown:
        parser.error(f"unknown endpoint {', '.join(unknown)}; choose from {', '.join(ENDPOINTS)}")

    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    cookie = ""
    if args.staff:
        user, _ = User.objects.get_or_create(username="benchmark-staff", defaults={"is_staff": True})
        client = Client()
        client.force_login(user)
        cookie = "; ".join(f"{morsel.key}={morsel.value}" for morsel in client.cookies.values())
    get = wsgi_client(cookie)

    if args.raw_encoder == "orjson":
        import orjson

        def encode(payload):
            return orjson.dumps(payload, default=str)
    else:

        def encode(payload):
            return json.dumps(payload, default=str)

    def raw(statements):
        with connection.cursor() as cursor:
            payload = []
            for sql in statements:
                cursor.execute(sql)
                columns = [column[0] for column in cursor.description]
                payload.append([dict(zip(columns, row, strict=True)) for row in cursor.fetchall()])
        return encode(payload)

    print(f"database: {connection.vendor}  ({connection.settings_dict['NAME']})")
    print(
        f"as: {'staff' if args.staff else 'anonymous'}; page size {args.page_size}; median of {args.repeat}; "
        f"baseline encoded with {args.raw_encoder}"
    )
    print(f"{'endpoint':<14}{'rows':>9}{'queries':>9}{'API ms':>10}{'raw ms':>10}{'ratio':>8}")
    worst = 0.0
    # As in production (DEBUG=0): with DEBUG on, Django logs every query through a debug
    # cursor that formats its SQL, which on SQLite costs one more query per statement.
    with override_settings(ALLOWED_HOSTS=["testserver", "localhost"], DEBUG=False):
        for endpoint in args.endpoints or ENDPOINTS:
            path, query = f"/api/v1/{endpoint}/", f"page_size={args.page_size}"
            status, body = get(path, query)  # warm-up (and the statements for the baseline)
            assert status == 200, (path, status, body[:300])
            with CaptureQueriesContext(connection) as captured:
                get(path, query)
            statements = [
                query["sql"]
                for query in captured.captured_queries
                if "django_session" not in query["sql"] and "auth_user" not in query["sql"]
            ]
            raw(statements)  # warm-up
            api_seconds, raw_seconds = median_times(
                lambda path=path, query=query: get(path, query),
                lambda statements=statements: raw(statements),
                args.repeat,
            )
            ratio = api_seconds / raw_seconds
            worst = max(worst, ratio)
            count = json.loads(body)["count"]
            print(
                f"{endpoint:<14}{count:>9}{len(statements):>9}{api_seconds * 1000:>10.1f}"
                f"{raw_seconds * 1000:>10.1f}{ratio:>7.1f}×"
            )
    print(f"worst ratio: {worst:.1f}× (target ≤ {args.target:g}×)")
    return 0 if worst <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
