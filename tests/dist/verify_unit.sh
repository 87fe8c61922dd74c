#!/bin/sh
# Checks a systemd unit with `systemd-analyze verify`: unknown keys, bad values, a
# missing ExecStart. verify also wants the ExecStart binary to exist, so the unit is
# checked as a copy whose ExecStart names BINARY (the one just built) instead of the
# installed path; every other line is the shipped one. Any message fails the check:
# systemd only warns about unknown keys and still exits 0.
#
#   verify_unit.sh UNIT BINARY
set -eu
unit=$1
binary=$2
command -v systemd-analyze >/dev/null || {
  echo "systemd-analyze is missing: make deps installs Debian's systemd" >&2
  exit 1
}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
copy=$dir/$(basename "$unit")
sed "s|^ExecStart=/usr/local/bin/hrsurvey |ExecStart=$binary |" "$unit" >"$copy"
grep -q "^ExecStart=$binary " "$copy" || {
  echo "$unit: no ExecStart=/usr/local/bin/hrsurvey line" >&2
  exit 1
}
messages=$(systemd-analyze verify "$copy" 2>&1) || {
  echo "$messages" >&2
  exit 1
}
if [ -n "$messages" ]; then
  echo "$messages" >&2
  exit 1
fi
echo "$unit: systemd-analyze verify found nothing"
