# syntax=docker/dockerfile:1
#
# Summit: build with cgo (mattn/go-sqlite3), run as a non-root user.
#   docker build -t summit .
#   docker run -p 8080:8080 -v summit-data:/data summit serve --demo
# See docker-compose.yml for the Postgres set-up.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Module downloads are cached in their own layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ENV CGO_ENABLED=1
RUN go build -trimpath -ldflags="-s -w" -o /out/summit ./cmd/summit

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 summit \
 && useradd --system --uid 10001 --gid summit --home-dir /data --no-create-home --shell /usr/sbin/nologin summit \
 && mkdir -p /data \
 && chown summit:summit /data
COPY --from=build /out/summit /usr/local/bin/summit
ENV SUMMIT_DATA_DIR=/data \
    SUMMIT_ADDR=:8080
VOLUME ["/data"]
USER summit:summit
WORKDIR /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/summit"]
CMD ["serve"]
