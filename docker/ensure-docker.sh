#!/usr/bin/env bash
# Makes a Docker engine and a Compose CLI available on this machine. Idempotent:
#  - installs Debian's docker.io (+ docker-compose v1 when no `docker compose` v2 exists) if missing,
#  - starts dockerd in the background if no daemon answers, logging to $LOADCHAOS_DOCKERD_LOG,
#  - waits until `docker info` answers.
# apt waits for a dpkg lock held by another install instead of failing.
# It never touches containers, networks or volumes (it creates none).
set -euo pipefail

log="${LOADCHAOS_DOCKERD_LOG:-/var/log/loadchaos-dockerd.log}"
wait_s="${LOADCHAOS_DOCKERD_WAIT:-60}"

say() { echo "[ensure-docker] $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@";
  else say "need root for: $*"; exit 1; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get -o DPkg::Lock::Timeout=600 update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@"
}

compose_cli() {
  if docker compose version >/dev/null 2>&1; then echo "docker compose";
  elif command -v docker-compose >/dev/null 2>&1; then echo "docker-compose";
  else echo ""; fi
}

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing docker.io"
  # iptables, the mount helpers and containerd come in as dependencies of docker.io.
  apt_install docker.io
fi
if ! command -v docker >/dev/null 2>&1; then
  apt_install docker.io
fi
if [ -z "$(compose_cli)" ]; then
  say "installing docker-compose (v1)"
  apt_install docker-compose
fi

if docker info >/dev/null 2>&1; then
  say "daemon already running"
else
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd process exists but does not answer yet; waiting"
  else
    say "starting dockerd (log: $log)"
    mkdir -p "$(dirname "$log")"
    # setsid: the daemon outlives this script and is not tied to the caller's process group.
    # (A plain command, not a shell function, so no waiting subshell stays behind.)
    if [ "$(id -u)" = 0 ]; then setsid dockerd >>"$log" 2>&1 < /dev/null &
    else sudo setsid dockerd >>"$log" 2>&1 < /dev/null &
    fi
  fi
  for ((i = 0; i < wait_s; i++)); do
    if docker info >/dev/null 2>&1; then break; fi
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    say "dockerd did not answer within ${wait_s}s; last log lines:"
    tail -n 30 "$log" >&2 || true
    exit 1
  fi
fi

say "engine $(docker version --format '{{.Server.Version}}' 2>/dev/null), compose: $(compose_cli)"
