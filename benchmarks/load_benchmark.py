"""Loopback load runs against gunicorn in production mode, and the API beside Datasette.

``load`` (the default): gunicorn serves Casefile (DEBUG off, one process of
``--workers``) from ``DATABASE_URL``, which must hold a loaded case file; wrk (Debian's
package ``wrk``), or where it is missing a bounded Python client, keeps ``--connections``
connections busy for ``--seconds``
against ``/``, an agreement page, ``/timeline/`` and ``/api/v1/agreements/``, and prints
the throughput, the errors (refused or broken connections) and the 5xx answers. The API
throttles are lifted for the run (``THROTTLE_ANON_RATE=off``): one address sending
thousands of requests a minute is what they exist to stop. Exit status 1 on any error
or 5xx.

``datasette``: ``/api/v1/sources/?page_size=100`` served by gunicorn (one worker) against
Datasette's leanest JSON (``_shape=array``) for the same 100 rows (readers' sources in
the list's order) from the same SQLite file, each served alone in turn and loaded by the
same client, and prints the ratio of their throughputs. Datasette is a benchmark tool
only, installed in its own environment, never a dependency of Casefile:

    python3.11 -m venv /tmp/dsenv && /tmp/dsenv/bin/pip install datasette
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python benchmarks/load_benchmark.py datasette \\
        --datasette /tmp/dsenv/bin/datasette

The server under test runs alone on one core (``--server-core``, by taskset), the client
on the others. Exit status 1 when the ratio is below ``--ratio-target`` (default 2). On a machine busy
with other work, both servers run under the same load: read the ratio, not the rates.
"""

import argparse
import collections
import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD_PATHS = ["/", "{agreement}", "/timeline/", "/api/v1/agreements/"]
SOURCES_SQL = (
    "select * from sources_source where publication_status = 'published' order by authors, title, id limit 100"
)


def production_env(database_url):
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="0",
        THROTTLE_ANON_RATE="off",
        LOG_LEVEL="ERROR",
    )
    return env


def wait_for(port, path="/", seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answered on port {port} within {seconds} s")


def pinned(command, core):
    """``command`` run on CPU ``core`` alone (``taskset``), so that the server under test and
    the client sending the load do not take turns on one core; as it is where taskset is missing."""
    if core is None or not shutil.which("taskset"):
        return command
    return ["taskset", "-c", str(core), *command]


def start_gunicorn(database_url, port, workers, core=None):
    env = production_env(database_url)
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    command = pinned([python, "-m", "gunicorn", "casefile.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers)], core)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port)
    return process


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def load_with_wrk(port, paths, connections, seconds):
    """wrk's figures, in ``load``'s form: every answer that is not a 2xx or 3xx is counted
    under 500 (wrk does not tell them apart, and every address of a run answers 200)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths))
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "-s", script.name]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = int(failed.group(1)) if failed else 0
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    statuses = collections.Counter({200: requests - failed, 500: failed} if failed else {200: requests})
    return rate, statuses, errors


def load(port, paths, connections, seconds, client="python"):
    """Requests per second, Counter of statuses, number of errors: from wrk, or from a
    bounded Python client (threads holding keep-alive connections) where wrk is not installed.
    The Python client costs the machine a core of its own, so it measures less than wrk."""
    if client == "wrk":
        return load_with_wrk(port, paths, connections, seconds)
    statuses, errors, lock = collections.Counter(), [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        index = offset
        while time.monotonic() < deadline:
            path = paths[index % len(paths)]
            index += 1
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                with lock:
                    statuses[response.status] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return sum(statuses.values()) / elapsed, statuses, errors[0]


def first_agreement_path(port):
    """The page of the first agreement the list links to."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/agreements/")
    page = connection.getresponse().read().decode()
    return re.search(r'href="(/agreements/[a-z0-9-]+/)"', page).group(1)


def run_load(args):
    server = start_gunicorn(args.database_url, args.port, args.workers, args.server_core)
    try:
        agreement = first_agreement_path(args.port)
        paths = [path.format(agreement=agreement) for path in LOAD_PATHS]
        rate, statuses, errors = load(args.port, paths, args.connections, args.seconds, args.client)
    finally:
        server.terminate()
        server.wait()
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    print(f"database: {args.database_url}; gunicorn, {args.workers} worker(s), DEBUG off, throttles off")
    print(f"{args.connections} connections for {args.seconds} s over {', '.join(paths)}, client: {args.client}")
    print(f"throughput: {rate:.0f} requests/s; statuses: {dict(sorted(statuses.items()))}")
    print(f"errors: {errors}; 5xx: {server_errors}")
    return 1 if errors or server_errors or not statuses else 0


def run_datasette(args):
    database = urllib.parse.urlparse(args.database_url)
    if database.scheme != "sqlite":
        raise SystemExit("Datasette reads SQLite: give DATABASE_URL=sqlite:////path/to/file.sqlite3")
    path = "/" + database.path.lstrip("/")  # sqlite:////tmp/x parses as //tmp/x
    rates = {}
    server = start_gunicorn(args.database_url, args.port, 1, args.server_core)
    try:
        rates["Casefile"], statuses, errors = load(
            args.port, ["/api/v1/sources/?page_size=100"], args.connections, args.seconds, args.client
        )
        print(f"Casefile statuses {dict(statuses)}, errors {errors}")
    finally:
        server.terminate()
        server.wait()
    name = Path(path).stem
    query = urllib.parse.urlencode({"sql": SOURCES_SQL, "_shape": "array"})
    datasette_path = f"/{name}.json?{query}"
    command = pinned(
        [args.datasette, "serve", path, "-p", str(args.port + 1), "--setting", "num_sql_threads", "1"], args.server_core
    )
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(args.port + 1, datasette_path)
        rates["Datasette"], statuses, errors = load(
            args.port + 1, [datasette_path], args.connections, args.seconds, args.client
        )
        # Only answered requests count towards a throughput; refused connections are shown.
        print(f"Datasette statuses {dict(statuses)}, errors {errors}")
    finally:
        server.terminate()
        server.wait()
    ratio = rates["Casefile"] / rates["Datasette"]
    print(
        f"database: {path}; {args.connections} connections for {args.seconds} s each, one server at a time, "
        f"client: {args.client}"
    )
    print(f"Casefile /api/v1/sources/?page_size=100 (gunicorn, 1 worker): {rates['Casefile']:.0f} requests/s")
    print(f"Datasette {datasette_path[:60]}… : {rates['Datasette']:.0f} requests/s")
    print(f"ratio: {ratio:.2f}× (target ≥ {args.ratio_target:g}×)")
    return 0 if ratio >= args.ratio_target else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", choices=["load", "datasette"], default="load")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections (default 16)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each run (default 30)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers for the load run (default 1)")
    parser.add_argument("--port", type=int, default=8741, help="gunicorn's port; Datasette takes the next")
    parser.add_argument("--datasette", default="/tmp/dsenv/bin/datasette", help="the datasette command")
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="what sends the requests: wrk (Debian's package; the default where it is installed) or a Python client",
    )
    parser.add_argument(
        "--server-core",
        type=int,
        default=1 if (os.cpu_count() or 1) > 1 else None,
        help="the CPU the server under test runs on, alone (taskset; default 1 on a machine with several)",
    )
    parser.add_argument("--ratio-target", type=float, default=2.0, help="Casefile / Datasette (default 2)")
    args = parser.parse_args()
    args.database_url = os.environ.get("DATABASE_URL", "")
    if not args.database_url:
        parser.error("set DATABASE_URL to the database to serve")
    if args.mode == "datasette" and not Path(args.datasette).exists():
        print(f"Datasette is not installed at {args.datasette}: no ratio (see --help).")
        return 0
    return run_load(args) if args.mode == "load" else run_datasette(args)


if __name__ == "__main__":
    sys.exit(main())
