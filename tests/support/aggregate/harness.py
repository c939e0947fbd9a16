"""Run the aggregate service as a real process, and publish catalog records and accepted values to its topics.

Each process gets its own RS256 key pair (the public key in `DANTOC_JWT_PUBLIC_KEY_FILE`); `token` mints bearer
tokens signed with its private key, as ingest's `token` command does."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jwt
from aiokafka import AIOKafkaProducer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dantoc_contracts import topics
from dantoc_contracts.access import AUDIENCE, ISSUER
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.values import ValuesAccepted
from tests.support.infra import free_port
from tests.support.stack import Service, serve, wait_ready


class ServiceProcess:
    """`python -m dantoc_aggregate serve` with its own port, database and topic namespace."""

    def __init__(self, bootstrap: str, namespace: str, database_url: str, log: Path, **env: str) -> None:
        self.port = free_port()
        self.log = log
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public_file = log.with_name(log.stem + "-jwt-public.pem")
        public_file.write_bytes(
            self._private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        self.env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "DANTOC_TOPIC_NAMESPACE": namespace,
            "DANTOC_AGGREGATE_DATABASE_URL": database_url,
            "DANTOC_AGGREGATE_HTTP_PORT": str(self.port),
            "DANTOC_AGGREGATE_CONSUMER_GROUP": f"aggregate-{namespace}",
            "DANTOC_JWT_PUBLIC_KEY_FILE": str(public_file),
            **env,
        }
        self.service: Service | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """`migrate`, then `serve` in the background (`tests.support.stack.serve`)."""
        self.service = serve("aggregate", self.port, self.env, self.log.parent, self.log)
        self.process = self.service.process

    def wait_ready(self, timeout: float = 60.0) -> None:
        assert self.service is not None
        wait_ready([self.service], timeout)

    def token(self, role: str = "national", scope: str = "VN", agency: str | None = None, **claims: Any) -> str:
        """A bearer token this service trusts (signed with its key pair)."""
        now = int(time.time())
        body: dict[str, Any] = {"iss": ISSUER, "aud": AUDIENCE, "sub": "tester", "role": role, "scope": scope}
        body.update(iat=now, exp=now + 600, **({"agency": agency} if agency else {}), **claims)
        return jwt.encode(body, self._private, algorithm="RS256")

    def headers(self, role: str = "national", scope: str = "VN", agency: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, scope, agency)}"}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: no cleanup at all, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


async def producer(bootstrap: str) -> AIOKafkaProducer:
    started = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=5)
    await started.start()
    return started


async def publish_catalog(bootstrap: str, namespace: str, records: Iterable[tuple[str, Any]]) -> None:
    kafka = await producer(bootstrap)
    try:
        topic = topics.topic_name(topics.CATALOG, namespace)
        for key, record in records:
            envelope = Envelope[Any](type=record.kind, producer="test", payload=record)
            await kafka.send(topic, encode(envelope), key=key.encode())
        await kafka.flush()
    finally:
        await kafka.stop()


def values_bytes(message: ValuesAccepted) -> bytes:
    return encode(Envelope[ValuesAccepted](type=message.kind, producer="test", payload=message))


async def publish_values(kafka: AIOKafkaProducer, namespace: str, messages: Iterable[ValuesAccepted]) -> None:
    topic = topics.topic_name(topics.VALUES_ACCEPTED, namespace)
    for message in messages:
        await kafka.send(topic, values_bytes(message), key=message.unit_code.encode())
    await kafka.flush()
