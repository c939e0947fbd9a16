"""Benchmark setup (work directory, keys, token) and the typical queries it replays."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.catalogue_files import indicators, units
from dantoc_contracts.catalog import AdminUnitPublished, IndicatorPublished

ON = date(2024, 12, 31)


@dataclass(frozen=True)
class Setup:
    workdir: Path
    namespace: str
    bootstrap: str
    database_url: str
    public_key: Path
    token: str
    url: str

    @classmethod
    def create(cls, root: Path, namespace: str, port: int, database_url: str | None) -> Setup:
        import os

        workdir = root / namespace
        workdir.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = workdir / "jwt-public.pem"
        public.write_bytes(
            key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        now = int(time.time())
        claims = {
            "sub": "bench",
            "agency": "BDTTG",
            "role": "national",
            "scope": "VN",
            "iss": "dantoc",
            "aud": "dantoc",
            "iat": now,
            "exp": now + 86400,
        }
        return cls(
            workdir=workdir,
            namespace=namespace,
            bootstrap=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            database_url=database_url or f"sqlite+aiosqlite:///{workdir / 'gateway.db'}",
            public_key=public,
            token=jwt.encode(claims, key, algorithm="RS256"),
            url=f"http://127.0.0.1:{port}",
        )

    def cleanup(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def _yearly() -> list[IndicatorPublished]:
    return [i for i in indicators() if isinstance(i, IndicatorPublished) and i.versions[-1].period_type.value == "year"]


def _provinces() -> list[str]:
    found = []
    for unit in units():
        assert isinstance(unit, AdminUnitPublished)
        valid = (unit.valid_from is None or unit.valid_from <= ON) and (unit.valid_to is None or unit.valid_to >= ON)
        if unit.level.value == "province" and valid:
            found.append(unit.code)
    return found


def scenarios(setup: Setup) -> dict[str, list[str]]:
    """The typical queries: all provinces by ethnic group, a province's drill-down, a five-year series."""
    yearly = _yearly()
    ethnic = [i.code for i in yearly if "ethnic_group" in i.versions[-1].disaggregations]
    provinces = _provinces()
    return {
        "provinces_by_ethnic_group": [f"/v1/drilldown?unit=VN&indicator={i}&period=2024&ethnicGroup=*" for i in ethnic],
        "province_drilldown": [
            f"/v1/drilldown?unit={p}&indicator={i.code}&period=2024" for p in provinces for i in yearly
        ],
        "five_year_series": [
            f"/v1/series?indicator={i.code}&unit={p}&periodFrom=2020&periodTo=2024"
            for p in [*provinces, "VN"]
            for i in yearly
        ],
    }
