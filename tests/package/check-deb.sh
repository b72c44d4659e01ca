#!/usr/bin/env bash
# Builds the Debian package from a configured build tree (cpack, into a temporary
# directory), then checks it: lintian reports no errors, its contents hold every file the
# package must ship, the /etc files are conffiles, the maintainer scripts are there, and the
# installed systemd units (naming /usr/bin) pass systemd-analyze verify.
#   tests/package/check-deb.sh BUILD_DIR
set -euo pipefail
build=$1
for tool in cpack dpkg-deb lintian; do
  command -v "$tool" >/dev/null || { echo "$tool not installed (scripts/setup): skipped"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/masked-comms_*_*.deb)
echo "built $(basename "$deb")"

failed=0
fail() { echo "FAIL: $*"; failed=1; }

contents=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for file in /usr/bin/masked-comms-worker /usr/bin/maskctl \
  /usr/lib/systemd/system/masked-comms.service /usr/lib/systemd/system/masked-comms.socket \
  /etc/nginx/sites-available/masked-comms.conf /etc/nginx/masked-comms/locations.conf \
  /etc/nginx/masked-comms/fastcgi.conf /etc/masked-comms/masked-comms.env \
  /usr/share/doc/masked-comms/copyright /usr/share/doc/masked-comms/changelog.gz \
  /usr/share/doc/masked-comms/README.md /usr/share/man/man1/maskctl.1.gz \
  /usr/share/man/man1/masked-comms-worker.1.gz; do
  grep -qx "$file" <<<"$contents" || fail "$file is not in the package"
done
mode=$(dpkg-deb -c "$deb" | awk '$6 == "./etc/masked-comms/masked-comms.env" {print $1}')
[[ "$mode" == "-rw-------" ]] || fail "the environment file (it holds the auth token) is $mode"

dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
  [[ -x "$work/control/$script" ]] || fail "no $script"
done
grep -q 'deb-systemd-helper enable masked-comms.socket' "$work/control/postinst" ||
  fail "postinst does not enable the socket"
for file in $(grep '^/etc/' <<<"$contents" | grep -v '/$'); do
  grep -qx "$file" "$work/control/conffiles" || fail "$file is not a conffile"
done

lintian --fail-on error "$deb" >"$work/lintian.log" 2>&1 || { cat "$work/lintian.log"; fail "lintian reports errors"; }
grep -v '^W: ' "$work/lintian.log" | grep -v 'running with root privileges' || true

dpkg-deb -x "$deb" "$work/root"
units="$work/root/usr/lib/systemd/system"
grep -q '^ExecStart=/usr/bin/masked-comms-worker$' "$units/masked-comms.service" ||
  fail "the installed unit does not start /usr/bin/masked-comms-worker"
if command -v systemd-analyze >/dev/null; then
  mkdir "$work/verify"
  for unit in masked-comms.socket masked-comms.service; do
    sed "s|/usr/bin/masked-comms-worker|$work/root/usr/bin/masked-comms-worker|g" "$units/$unit" \
      >"$work/verify/$unit"
  done
  systemd-analyze verify "$work/verify/masked-comms.socket" "$work/verify/masked-comms.service" ||
    fail "systemd-analyze verify"
fi
"$work/root/usr/bin/maskctl" --help | grep -q '^usage: maskctl' || fail "the packaged maskctl does not run"

echo "contents:"
dpkg-deb -c "$deb" | awk '{print "  " $1 " " $6}'
((failed == 0)) && echo "package checked"
exit $failed
