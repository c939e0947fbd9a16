"""The four services as real processes (`python -m dantoc_<svc> serve`) on test ports, one test namespace.

Each service gets a fresh SQLite database, its own consumer group (named after the namespace, so groups never
mix with other tests' consumers) and the test's token key pair. Waits have deadlines; a service that exits or
is not ready in time fails the fixture with the end of its log.
"""

from __future__ import annotations

import importlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.infra import REPO, free_port

SERVICES = ("catalog", "ingest", "aggregate", "gateway")


@dataclass
class Service:
    name: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Stack:
    directory: Path
    kafka: str
    namespace: str
    env: dict[str, str] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    databases: dict[str, str] = field(default_factory=dict)  # a service's database URL; else a SQLite file

    def token(self, role: str = "national", scope: str = "VN", agency: str = "BDTTG") -> str:
        command = [sys.executable, "-m", "dantoc_ingest", "token", "--role", role, "--scope", scope, "--agency", agency]
        done = subprocess.run(command, env=self.env, cwd=self.directory, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def stop(self) -> None:
        for service in self.services.values():
            if service.process.poll() is None:
                service.process.send_signal(signal.SIGTERM)
        for service in self.services.values():
            try:
                service.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                service.process.kill()
                service.process.wait(timeout=10)


def base_env(directory: Path, kafka: str, namespace: str) -> dict[str, str]:
    keys = directory / "keys"
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "DANTOC_TOPIC_NAMESPACE": namespace,
        "DANTOC_JWT_PRIVATE_KEY_FILE": str(keys / "jwt-private.pem"),
        "DANTOC_JWT_PUBLIC_KEY_FILE": str(keys / "jwt-public.pem"),
        "DANTOC_CATALOG_ADMIN_TOKEN": secrets.token_urlsafe(24),
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run([sys.executable, "-m", "dantoc_ingest", "keys"], env=env, cwd=directory, check=True, timeout=60)
    return env


def service_env(name: str, port: int, stack: Stack) -> dict[str, str]:
    prefix = f"DANTOC_{name.upper()}_"
    env = {
        **stack.env,
        prefix + "DATABASE_URL": stack.databases.get(name, f"sqlite+aiosqlite:///{stack.directory / name}.db"),
        prefix + "HTTP_HOST": "127.0.0.1",
        prefix + "HTTP_PORT": str(port),
    }
    settings = importlib.import_module(f"dantoc_{name}.settings").Settings
    if "consumer_group" in settings.model_fields:
        env[prefix + "CONSUMER_GROUP"] = f"{stack.namespace}-{name}"
    return env


def serve(name: str, port: int, env: dict[str, str], cwd: Path, log: Path) -> Service:
    """The one way tests run a service as a process, as `make up` does: `python -m dantoc_<name> migrate` (its
    output in `<log stem>.migrate.log`, so that the service log stays JSON lines), then `serve` in the background
    with its output in `log` (appended: a restarted service keeps one log)."""
    with log.with_name(f"{log.stem}.migrate.log").open("ab") as migrated:
        subprocess.run(
            [sys.executable, "-m", f"dantoc_{name}", "migrate"],
            env=env,
            cwd=cwd,
            stdout=migrated,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=120,
        )
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", f"dantoc_{name}", "serve"], env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
    return Service(name, port, log, process)


def start_stack(directory: Path, kafka: str, namespace: str, timeout: float = 240) -> Stack:
    """Start the four services and wait until each answers /ready; stop them all if one does not."""
    directory.mkdir(parents=True, exist_ok=True)
    stack = Stack(directory, kafka, namespace, base_env(directory, kafka, namespace))
    for name in SERVICES:
        port = free_port()
        stack.services[name] = serve(name, port, service_env(name, port, stack), directory, directory / f"{name}.log")
    try:
        wait_ready(stack.services.values(), timeout)
    except BaseException:
        stack.stop()
        raise
    return stack


def wait_ready(services: Iterable[Service], timeout: float) -> None:
    """The one ready-wait of service processes: until each answers `/ready` with 200; fails with the end of the log
    of a service that exited or is still not ready at the deadline."""
    deadline = time.monotonic() + timeout
    waiting = {service.name: service for service in services}
    while waiting:
        for name, service in list(waiting.items()):
            if service.process.poll() is not None:
                raise RuntimeError(f"{name} exited ({service.process.returncode}):\n{service.log_tail()}")
            try:
                if httpx.get(f"{service.url}/ready", timeout=2).status_code == 200:
                    del waiting[name]
            except httpx.HTTPError:
                pass
        if waiting and time.monotonic() > deadline:
            tails = "\n".join(f"--- {n}:\n{s.log_tail()}" for n, s in waiting.items())
            raise TimeoutError(f"not ready after {timeout:.0f} s: {sorted(waiting)}\n{tails}")
        time.sleep(0.5)


def assert_stack_files_exist() -> None:
    """The live tests need all four services (their `__main__.py`)."""
    missing = [s for s in SERVICES if not (REPO / f"services/{s}/src/dantoc_{s}/__main__.py").is_file()]
    assert not missing, f"services not written yet: {missing}"
