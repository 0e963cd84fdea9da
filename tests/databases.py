"""Test databases: a SQLite file, or a throwaway PostgreSQL 15 server started for the session."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("CASELOG_PG_BIN", "/usr/lib/postgresql/15/bin"))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(what: str) -> None:
    """A missing server or browser fails the run in CI and skips (loudly) elsewhere."""
    if in_ci():
        pytest.fail(f"{what} is required under CI=true", pytrace=False)
    pytest.skip(f"{what} is not available here")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def postgres_server():
    """Start a private PostgreSQL server on a free loopback port; yield a URL factory."""
    if not (PG_BIN / "initdb").exists():
        missing(f"PostgreSQL server binaries in {PG_BIN}")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    workdir = Path(tempfile.mkdtemp(prefix="caselog-pg-"))
    data = workdir / "data"
    if as_postgres:
        shutil.chown(workdir, "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(
        [
            *as_postgres,
            PG_BIN / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        **run,
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *as_postgres,
            PG_BIN / "pg_ctl",
            "-D",
            data,
            "-o",
            options,
            "-l",
            workdir / "log",
            "-w",
            "start",
        ],
        **run,
    )
    try:
        yield lambda name: _create_database(port, name)
    finally:
        subprocess.run(
            [*as_postgres, PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def _create_database(port: int, name: str) -> str:
    import psycopg

    for _attempt in range(50):
        try:
            with psycopg.connect(
                f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True
            ) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            break
        except psycopg.OperationalError:
            time.sleep(0.1)
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"


@contextmanager
def database_urls(kind: str):
    """Yield a function giving the URL of a fresh, empty database of the chosen kind."""
    if kind == "postgresql":
        with postgres_server() as create:
            yield create
    else:
        workdir = Path(tempfile.mkdtemp(prefix="caselog-sqlite-"))
        try:
            yield lambda name: f"sqlite:///{workdir / name}.sqlite"
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
