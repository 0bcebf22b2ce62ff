# JCM Platform: the same locked install as `make env` (uv.lock, no dev tools), run as a
# non-root user; the entrypoint applies the migrations before the server starts.
# Build: docker build -t jcm-platform .   Run everything: docker compose up -d (compose.yaml)

FROM python:3.11-slim-bookworm AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir "uv>=0.4"
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY src ./src
RUN uv sync --frozen --no-dev --no-editable

FROM python:3.11-slim-bookworm AS run
# pg_dump and pg_restore (major version 15, as the compose file's PostgreSQL) for `jcm db backup`
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin jcm \
    && mkdir -p /data /backups && chown jcm:jcm /data /backups
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY docker/entrypoint.sh /usr/local/bin/jcm-entrypoint
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 JCM_DATA_DIR=/data
USER jcm
EXPOSE 8000
VOLUME ["/data", "/backups"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"
ENTRYPOINT ["jcm-entrypoint"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
