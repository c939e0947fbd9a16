"""Portal benchmark: the data-entry page's render and its save (ingest's dry run) at 50 concurrent signed-in users,
and the bytes each page transfers. Not a test: it prints figures and how it ran.

    uv run python -m bench.portal_bench [--users 50] [--duration 30] [--period 2024] [--think 0] [--backend sqlite]

Starts the portal and the four services as processes (as the test stack does: real Kafka from
KAFKA_BOOTSTRAP_SERVERS, SQLite databases or with `--backend postgres` a PostgreSQL database each, the services
verifying the portal's tokens through its JWKS), imports
`--users` commune officials of Điện Biên through the accounts page's CSV import, signs each in (its own session),
then for `--duration` seconds each user in a closed loop opens its data-entry page and saves it (a dry run with a
few values typed the Vietnamese way). Prints p50/p95/p99 per request kind, requests per second, and per page the
bytes transferred on first load (HTML and its stylesheet and scripts, gzip as a browser asks).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx
import psutil

from bench.portal_entry import entry_save_form
from tests.support.databases import create_postgres_database, drop_postgres_database
from tests.support.kafka import create_namespace
from tests.support.portal import PortalStack, csrf_of, start_portal_stack
from tests.support.stack import SERVICES

ASSETS = re.compile(r'(?:href|src)="(/static/[^"]+)"')
GZIP = {"Accept-Encoding": "gzip, deflate"}


async def communes(portal: PortalStack, count: int, period: str) -> list[str]:
    async with httpx.AsyncClient(timeout=60) as client:
        day = f"{period[:4]}-12-31"
        found = await client.get(
            portal.service_url("catalog") + "/units/11/subtree", params={"on": day, "level": "commune"}
        )
        found.raise_for_status()
        codes = [u["code"] for u in found.json()]
    return codes[:count]


async def import_users(portal: PortalStack, units: list[str]) -> dict[str, str]:
    """The officials' accounts through the accounts page's CSV import; their temporary passwords by username."""
    lines = ["username,display_name,role,unit_code,agency"]
    lines += [f"bench.{unit},Cán bộ xã {unit},entry,{unit},BDT-11" for unit in units]
    async with httpx.AsyncClient(base_url=portal.url, timeout=120) as admin:
        form = await admin.get("/dang-nhap")
        await admin.post(
            "/dang-nhap",
            data={
                "username": "tinh.dienbien",
                "password": portal.passwords["tinh.dienbien"],
                "csrf_token": csrf_of(form.text),
            },
        )
        page = await admin.get("/tai-khoan")
        done = await admin.post(
            "/tai-khoan/nhap",
            data={"csrf_token": csrf_of(page.text)},
            files={"file": ("accounts.csv", "\n".join(lines).encode(), "text/csv")},
        )
    if done.status_code != 200:
        raise RuntimeError(f"the import failed: {done.status_code} {done.text[:2000]}")
    return dict(re.findall(r"<strong>([^<]+)</strong>: <span class=\"secret\">([^<]+)</span>", done.text))


async def sign_in_and_set_password(portal: PortalStack, username: str, password: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=portal.url, timeout=60, headers=GZIP)
    form = await client.get("/dang-nhap")
    await client.post("/dang-nhap", data={"username": username, "password": password, "csrf_token": csrf_of(form.text)})
    change = await client.get("/doi-mat-khau")
    new = f"Mật khẩu {uuid.uuid4().hex[:8]} bench"
    fields = {"old_password": password, "new_password": new, "new_password_again": new}
    answer = await client.post("/doi-mat-khau", data={"csrf_token": csrf_of(change.text), **fields})
    if answer.status_code != 303:
        raise RuntimeError(f"{username}: the password change failed ({answer.status_code})")
    return client


async def page_bytes(client: httpx.AsyncClient, path: str) -> tuple[int, int]:
    """Wire bytes of a page's HTML and of the static files it links (what a first load transfers)."""
    page = await client.get(path)
    total_assets = 0
    for asset in sorted(set(ASSETS.findall(page.text))):
        total_assets += (await client.get(asset)).num_bytes_downloaded
    return page.num_bytes_downloaded, total_assets


async def user_loop(
    client: httpx.AsyncClient,
    unit: str,
    period: str,
    deadline: float,
    timings: dict[str, list[float]],
    think: float,
    pause: random.Random,
) -> None:
    """One user until the deadline: the page, then a save; with `think`, a pause of 0 to 2x`think` seconds (uniform)
    after each, as a person reads and types (0: a closed loop, the portal's saturation)."""
    path = f"/nhap-lieu?unit={unit}&period={period}&group=01"
    while time.monotonic() < deadline:
        if think:
            await asyncio.sleep(pause.uniform(0, 2 * think))
        started = time.perf_counter()
        try:
            page = await client.get(path)
        except httpx.TransportError as error:
            timings[f"render failed ({type(error).__name__})"].append(time.perf_counter() - started)
            continue
        timings["render" if page.status_code == 200 else f"render {page.status_code}"].append(
            time.perf_counter() - started
        )
        action, form = entry_save_form(page.text)
        started = time.perf_counter()
        try:
            saved = await client.post(action, data=form)
        except httpx.TransportError as error:
            timings[f"save failed ({type(error).__name__})"].append(time.perf_counter() - started)
            continue
        kind = "save (dry run)" if saved.status_code in (200, 422) else f"save {saved.status_code}"
        timings[kind].append(time.perf_counter() - started)
        if think:
            await asyncio.sleep(pause.uniform(0, 2 * think))


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cpu_seconds(processes: dict[str, psutil.Process]) -> dict[str, float]:
    return {n: sum(p.cpu_times()[:2]) for n, p in processes.items()}


async def measure(args: argparse.Namespace, portal: PortalStack, processes: dict[str, psutil.Process]) -> list[str]:
    units = await communes(portal, args.users, args.period)
    passwords = await import_users(portal, units)
    clients = await asyncio.gather(
        *(sign_in_and_set_password(portal, f"bench.{u}", passwords[f"bench.{u}"]) for u in units)
    )
    lines = []
    try:
        first = clients[0]
        pages = {
            "sign-in": "/dang-nhap",
            "home": "/",
            "data entry": f"/nhap-lieu?unit={units[0]}&period={args.period}&group=01",
            "excel": "/excel",
            "completeness": f"/tinh-hinh-bao-cao?unit={units[0]}&period={args.period}",
            "explore": f"/khai-thac?unit={units[0]}&period={args.period}&indicator=0101",
        }
        for name, path in pages.items():
            html, assets = await page_bytes(
                httpx.AsyncClient(base_url=portal.url, headers=GZIP) if name == "sign-in" else first, path
            )
            lines.append(
                f"bytes     {name:<13} HTML {html:>7,} B + static {assets:>7,} B = {html + assets:>7,} B on first load"
            )
        for client, unit in zip(clients, units, strict=True):  # warm: each user's page once
            for attempt in range(3):  # a kept-alive connection the server closed while idle is not a failure
                try:
                    await client.get(f"/nhap-lieu?unit={unit}&period={args.period}&group=01")
                    break
                except httpx.RemoteProtocolError:
                    if attempt == 2:
                        raise
        timings: dict[str, list[float]] = defaultdict(list)
        print(f"progress  {len(clients)} users signed in; the loop starts", file=sys.stderr, flush=True)
        cpu_before = cpu_seconds(processes)
        started = time.monotonic()
        deadline = started + args.duration
        await asyncio.gather(
            *(
                user_loop(c, u, args.period, deadline, timings, args.think, random.Random(i))
                for i, (c, u) in enumerate(zip(clients, units, strict=True))
            )
        )
        elapsed = time.monotonic() - started
        cpu = {n: (v - cpu_before[n]) / elapsed for n, v in cpu_seconds(processes).items()}
        lines.append(
            "cpu       during the loop, cores busy: " + ", ".join(f"{n} {v:.2f}" for n, v in sorted(cpu.items()))
        )
        for kind, values in sorted(timings.items()):
            p50, p95, p99 = (quantile(values, q) * 1000 for q in (0.5, 0.95, 0.99))
            lines.append(
                f"latency   {kind:<15} n={len(values):>6}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  "
                f"({len(values) / elapsed:.0f}/s)"
            )
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return lines


async def databases(backend: str) -> dict[str, str]:
    """A fresh PostgreSQL database per process for `postgres` (the server of DANTOC_TEST_POSTGRES_URL, as the
    aggregate benchmark uses); none for `sqlite` (each its file, as the tests run)."""
    if backend == "sqlite":
        return {}
    url = os.environ.get("DANTOC_TEST_POSTGRES_URL", "postgresql+asyncpg://dantoc:dantoc@127.0.0.1:5432/postgres")
    template = url.rsplit("/", 1)[0] + "/{database}"
    return {name: await create_postgres_database(template) for name in ("portal", *SERVICES)}


async def run(args: argparse.Namespace) -> None:
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as folder:
        urls = await databases(args.backend)
        portal = start_portal_stack(Path(folder), kafka, await create_namespace(kafka), databases=urls)
        try:
            processes = {n: psutil.Process(s.process.pid) for n, s in portal.stack.services.items()}
            processes["client (this benchmark)"] = psutil.Process()
            lines = await measure(args, portal, processes)
            rss = {n: p.memory_info().rss / 2**20 for n, p in processes.items()}
        finally:
            portal.stop()
            template = next(iter(urls.values()), "").rsplit("/", 1)[0] + "/{database}"
            for url in urls.values():
                await drop_postgres_database(template, url)
    print(
        f"machine   {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"{psutil.virtual_memory().total / 2**30:.1f} GiB, Python {platform.python_version()}"
    )
    print(
        f"run       {args.users} signed-in users (each its own account and session), closed loop for "
        f"{args.duration:.0f} s, {f'a pause of {args.think:g} s on average' if args.think else 'no pause'} after each "
        f"request: the data-entry page of its commune (group 01, {args.period}) then a save (dry run); "
        f"the portal and the four services as processes on {'PostgreSQL' if args.backend == 'postgres' else 'SQLite'}, "
        "real Kafka, one machine (the client too)"
    )
    print("\n".join(lines))
    print("memory    RSS after the run: " + ", ".join(f"{n} {v:.0f} MiB" for n, v in sorted(rss.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--period", default="2024")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite", help="the processes' databases")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause in seconds after each request")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
