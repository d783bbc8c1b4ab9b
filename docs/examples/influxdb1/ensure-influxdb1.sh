#!/usr/bin/env bash
# Installs Debian's InfluxDB 1.x (influxd) if it is missing; idempotent. Used by .ci/run and by
# the tests that run a real database this project did not write (docs/targets.md). It does not
# start the Debian service: loadchaos starts influxd itself through a cluster file's `start:`.
set -euo pipefail
if command -v influxd >/dev/null; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq influxdb >/dev/null
# the package's service must not hold the default ports; in containers without systemd it never starts
(service influxdb stop || true) >/dev/null 2>&1
command -v influxd >/dev/null
