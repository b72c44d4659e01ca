#!/usr/bin/env bash
# Checks the systemd units with `systemd-analyze verify`, pointing ExecStart at the built
# worker so the check covers the real binary. Skipped (exit 77) without systemd-analyze.
set -euo pipefail
worker=$1
source_dir=$2
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in masked-comms.socket masked-comms.service; do
  sed "s|/usr/local/bin/masked-comms-worker|$worker|g" "$source_dir/systemd/$unit" >"$work/$unit"
done
systemd-analyze verify "$work/masked-comms.socket" "$work/masked-comms.service"
echo "systemd units verified"
