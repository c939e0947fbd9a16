#!/usr/bin/env bash
# Install everything the system and its tests need, on a fresh machine or a warm one (idempotent):
# uv and the Python workspace (locked), the Kafka jars from Maven Central, PostgreSQL, Prometheus and Chromium (the
# browser tests' browser) from Debian, and the browser tests' axe-core from the npm registry (tests/browser, locked).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
log() { echo "[setup] $*"; }

if ! command -v uv >/dev/null 2>&1 && ! python3 -m uv --version >/dev/null 2>&1; then
  log "installing uv from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
fi
UV="$(command -v uv 2>/dev/null || echo "python3 -m uv")"
log "syncing the Python workspace (uv.lock)"
$UV sync --all-packages --frozen --quiet

log "Kafka jars"
bash deploy/kafka/kafka.sh install

apt_missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_missing+=(postgresql)
command -v prometheus >/dev/null 2>&1 || apt_missing+=(prometheus)
[[ -x /usr/bin/chromium ]] || apt_missing+=(chromium)
command -v npm >/dev/null 2>&1 || apt_missing+=(npm)
if ((${#apt_missing[@]})); then
  log "installing from Debian: ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi
# Debian starts its own services on install; the project runs its own instances (Prometheus on 9090 included).
for svc in prometheus prometheus-node-exporter; do
  (service "$svc" stop || systemctl stop "$svc") >/dev/null 2>&1 || true
done

# axe-core for the browser tests' accessibility checks: from the npm registry at the locked version, not committed.
if [[ ! -f tests/browser/node_modules/axe-core/axe.min.js ]]; then
  log "installing the browser tests' npm packages (tests/browser/package-lock.json)"
  npm ci --prefix tests/browser --no-audit --no-fund
fi
log "done"
