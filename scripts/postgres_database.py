"""Create the PostgreSQL database named at the end of the URL given, unless it exists (used by
`make test`: its second PostgreSQL stream runs against a database of its own, which the
commands some tests start in subprocesses connect to)."""

import sys

import psycopg
from psycopg import sql


def main(url: str) -> int:
    server, name = url.replace("postgres://", "postgresql://", 1).rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", connect_timeout=3, autocommit=True) as connection:
        if not connection.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
