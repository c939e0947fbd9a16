"""Load the demo dataset through the real ingest path (HTTP), then wait until the gateway serves it.

    .venv/bin/python deploy/demo/load_demo.py [--seed 2024] [--skip-if-loaded] [--input demo.jsonl]

Submissions go to ingest's `POST /submissions/bulk` with a national token (minted with
`python -m dantoc_ingest token --role national --scope VN --agency BDTTG` unless `--token` or DANTOC_DEMO_TOKEN is
given). Submission ids are deterministic (with a digest of their content), so sending again changes nothing;
`--skip-if-loaded` does not even send when ingest already knows the last submission. The demo's deliberate
mistakes (ids with `-eN-`) are expected to be rejected; any other rejection fails the load (exit 1).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `deploy.demo` importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from deploy.demo.generate_demo import Options, write

REPO = Path(__file__).resolve().parents[2]
EXPECTED_REJECTION = re.compile(r"-e\d+-[0-9a-f]{8}$")  # the demo's deliberate mistakes


def log(message: str) -> None:
    print(f"[demo] {message}", file=sys.stderr, flush=True)


def call(method: str, url: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
    """One HTTP exchange: (status, parsed JSON body or None). Connection errors give status 0."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def wait_until(what: str, check: Any, timeout: float) -> Any:
    """Poll `check()` until it returns something truthy; exit with a message after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            log(f"gave up waiting for {what} after {timeout:.0f} s")
            raise SystemExit(1)
        time.sleep(0.5)


def mint_token() -> str:
    command = [sys.executable, "-m", "dantoc_ingest", "token", "--role", "national", "--scope", "VN"]
    done = subprocess.run([*command, "--agency", "BDTTG"], cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        log(f"could not mint a token: {done.stderr.strip()}")
        raise SystemExit(1)
    return done.stdout.strip()


@dataclass
class Tally:
    accepted: int = 0
    received: int = 0
    rejected_as_expected: int = 0
    unexpected: list[Any] = field(default_factory=list)


def send(ingest: str, token: str, batch: list[dict[str, Any]], tally: Tally, timeout: float) -> None:
    """One bulk request (retried while ingest is not ready); counts what ingest decided."""

    def attempt() -> tuple[int, Any] | None:
        status, body = call("POST", f"{ingest}/submissions/bulk", token, {"submissions": batch})
        return None if status in (0, 502, 503, 504) else (status, body)

    status, body = wait_until("ingest to take a batch", attempt, timeout)
    if status not in (200, 422) or not isinstance(body, dict) or "results" not in body:
        log(f"ingest answered {status}: {json.dumps(body, ensure_ascii=False)[:2000]}")
        raise SystemExit(1)
    problems = body.get("errors", [])
    for index, result in enumerate(body["results"]):
        if result["status"] in ("accepted", "published"):
            tally.accepted += 1
        elif result["status"] == "received":
            tally.received += 1
        elif EXPECTED_REJECTION.search(result["submission_id"]):
            tally.rejected_as_expected += 1
        else:
            mine = [p for p in problems if p.get("location", {}).get("submission_index") == index]
            tally.unexpected.append({"submission_id": result["submission_id"], "problems": mine[:5]})


def load(ingest: str, token: str, submissions: list[dict[str, Any]], batch: int, timeout: float) -> None:
    """Send every submission in bulk batches, in order; exit 1 if ingest rejected one that should pass."""
    tally, started = Tally(), time.monotonic()
    for start in range(0, len(submissions), batch):
        send(ingest, token, submissions[start : start + batch], tally, timeout)
        if (start // batch) % 20 == 19:
            log(f"{start + batch} of {len(submissions)} submissions sent")
    values = sum(len(s["values"]) for s in submissions)
    seconds = time.monotonic() - started
    log(
        f"{len(submissions)} submissions ({values} values) in {seconds:.1f} s: {tally.accepted} accepted, "
        f"{tally.received} queued, {tally.rejected_as_expected} deliberate mistakes rejected"
    )
    if tally.unexpected:
        for item in tally.unexpected[:10]:
            log(f"unexpected rejection: {json.dumps(item, ensure_ascii=False)}")
        log(f"{len(tally.unexpected)} submissions rejected that should have been accepted")
        raise SystemExit(1)


def already_loaded(ingest: str, token: str, last_id: str) -> bool:
    status, body = call("GET", f"{ingest}/submissions/{urllib.parse.quote(last_id)}", token)
    return status == 200 and isinstance(body, dict) and body.get("status") in ("accepted", "published")


def gateway_serves(gateway: str, token: str, province: str) -> bool:
    query = urllib.parse.urlencode({"indicator": "0101", "unit": province, "period": "2024"})
    status, body = call("GET", f"{gateway}/v1/values?{query}", token)
    observations = body.get("observations", []) if status == 200 and isinstance(body, dict) else []
    return any(item.get("value") is not None for item in observations)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ingest-url", default=os.environ.get("DANTOC_DEMO_INGEST_URL", "http://127.0.0.1:8002"))
    parser.add_argument("--gateway-url", default=os.environ.get("DANTOC_DEMO_GATEWAY_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("DANTOC_DEMO_TOKEN"), help="bearer token (national)")
    parser.add_argument("--input", type=Path, help="JSON lines from generate_demo.py (default: generate now)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--provinces", default="", help="legacy province codes, comma-separated (default: all)")
    parser.add_argument("--max-communes", type=int, default=0, help="communes per province (default 0: all)")
    parser.add_argument("--batch", type=int, default=100, help="submissions per bulk request")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for each service")
    parser.add_argument("--check-unit", default="", help="province the gateway must serve (default: the first)")
    parser.add_argument("--skip-if-loaded", action="store_true", help="send nothing if ingest knows the data")
    args = parser.parse_args(argv)
    ingest, gateway = args.ingest_url.rstrip("/"), args.gateway_url.rstrip("/")
    if args.input:
        lines = args.input.read_text(encoding="utf-8").splitlines()
    else:
        buffer = io.StringIO()
        provinces = tuple(code for code in args.provinces.split(",") if code)
        write(Options(args.seed, provinces, args.max_communes), buffer)
        lines = buffer.getvalue().splitlines()
    submissions = [json.loads(line) for line in lines if line.strip()]
    token = args.token or mint_token()
    wait_until("ingest /ready", lambda: call("GET", f"{ingest}/ready")[0] == 200, args.timeout)
    kept = [s["submission_id"] for s in submissions if not EXPECTED_REJECTION.search(s["submission_id"])]
    if args.skip_if_loaded and kept and already_loaded(ingest, token, kept[-1]):
        log(f"already loaded ({kept[-1]} is known to ingest); nothing sent")
    else:
        load(ingest, token, submissions, args.batch, args.timeout)
    province = args.check_unit or (args.provinces.split(",")[0] if args.provinces else "02")
    wait_until("the gateway to serve the demo", lambda: gateway_serves(gateway, token, province), args.timeout)
    log(f"the gateway serves the demo: {gateway}/v1/values?indicator=0101&unit={province}&period=2024")


if __name__ == "__main__":
    main()
