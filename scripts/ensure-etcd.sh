#!/usr/bin/env bash
# Makes etcd (Debian's etcd-server, 3.4.x) available on this machine for io.loadchaos.etcd and its
# tests (docs/catalog.md). Idempotent: installs the package only if `etcd` is not on PATH, then
# prints the version. Ensembles are started by loadchaos itself on their own ports, so the
# package's etcd.service (client port 2379) must not run: a policy-rc.d forbids service starts
# during the install, and the service is stopped and disabled afterwards in case it started anyway.
# apt waits for a dpkg lock held by another install instead of failing.
set -euo pipefail

say() { echo "[ensure-etcd] $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@";
  else say "need root for: $*"; exit 1; fi
}

stop_service() {
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now etcd.service >/dev/null 2>&1 || true
  fi
  (as_root service etcd stop || true) >/dev/null 2>&1
}

if ! command -v etcd >/dev/null 2>&1; then
  say "installing etcd-server"
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    # exit code 101: "action forbidden", so invoke-rc.d / deb-systemd-invoke start nothing
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    own_policy=1
    trap 'as_root rm -f '"$policy" EXIT
  fi
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends etcd-server >/dev/null
  if [ "$own_policy" = 1 ]; then as_root rm -f "$policy"; trap - EXIT; fi
  stop_service
fi
command -v etcd >/dev/null || { say "etcd still not on PATH after installing etcd-server"; exit 1; }

say "$(etcd --version | head -n 1)"
