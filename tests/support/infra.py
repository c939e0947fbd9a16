"""Where the tests' Kafka broker and PostgreSQL server come from.

In order: the environment (`KAFKA_BOOTSTRAP_SERVERS`, `DANTOC_TEST_POSTGRES_URL`); testcontainers where a Docker
engine answers; otherwise the project's own scripts in `deploy/`, started on test-only ports and directories.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCAL = REPO / ".local"


def free_port() -> int:
    """A loopback port nobody listens on now (for processes a test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def docker_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _run_script(script: str, command: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", str(REPO / script), command],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{script} {command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def kafka_bootstrap() -> Iterator[str]:
    """Yield a bootstrap address of a real Kafka 4.x broker for the whole test session."""
    if external := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield external
        return
    if docker_available():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer("apache/kafka:4.1.1").with_kraft() as container:
            yield container.get_bootstrap_server()
        return
    env = {
        "KAFKA_DIR": str(LOCAL / "kafka-test"),
        "KAFKA_PORT": os.environ.get("DANTOC_TEST_KAFKA_PORT", "19092"),
        "KAFKA_CONTROLLER_PORT": os.environ.get("DANTOC_TEST_KAFKA_CONTROLLER_PORT", "19093"),
    }
    _run_script("deploy/kafka/kafka.sh", "reset", env)
    _run_script("deploy/kafka/kafka.sh", "start", env)
    try:
        yield f"127.0.0.1:{env['KAFKA_PORT']}"
    finally:
        _run_script("deploy/kafka/kafka.sh", "stop", env)


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Yield an admin URL template `postgresql+asyncpg://user:pw@host:port/{database}` of a real PostgreSQL."""
    if external := os.environ.get("DANTOC_TEST_POSTGRES_URL"):
        yield external.rsplit("/", 1)[0] + "/{database}"
        return
    if docker_available():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16", driver="asyncpg") as container:
            yield container.get_connection_url().rsplit("/", 1)[0] + "/{database}"
        return
    env = {
        "PG_DIR": str(LOCAL / "postgres-test"),
        "PG_PORT": os.environ.get("DANTOC_TEST_PG_PORT", "55433"),
        "PG_DATABASES": "dantoc_test",
    }
    _run_script("deploy/postgres/postgres.sh", "start", env)
    try:
        yield f"postgresql+asyncpg://dantoc:dantoc@127.0.0.1:{env['PG_PORT']}/{{database}}"
    finally:
        _run_script("deploy/postgres/postgres.sh", "stop", env)
