# syntax=docker/dockerfile:1
# One image per service, built from the uv workspace with its lock file (uv.lock):
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=ingest -t dantoc-ingest .
# SERVICE is one of catalog, ingest, aggregate, gateway, portal. The image runs `python -m dantoc_<SERVICE> serve`;
# every setting comes from the environment (see each service's settings.py and deploy/compose.yaml).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
ARG UV_VERSION=0.13.9
RUN test -n "${SERVICE}" || (echo "build with --build-arg SERVICE=catalog|ingest|aggregate|gateway|portal" >&2; exit 1)
RUN pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# The whole workspace is needed to resolve the lock; only the service and contracts are installed.
COPY pyproject.toml uv.lock ./
COPY contracts/ contracts/
COPY services/ services/
RUN uv sync --frozen --no-dev --no-editable --package "dantoc-${SERVICE}" \
 && /app/.venv/bin/python -c "import dantoc_${SERVICE}.app"

FROM ${PYTHON_IMAGE}
ARG SERVICE
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin dantoc \
 && mkdir -p /app/.local /keys && chown dantoc /app/.local /keys
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 DANTOC_SERVICE=${SERVICE}
WORKDIR /app
USER dantoc
# the schema first (a locked step: replicas may run it at once), then the service, which refuses a schema not at head
CMD ["sh", "-c", "python -m dantoc_${DANTOC_SERVICE} migrate && exec python -m dantoc_${DANTOC_SERVICE} serve"]
