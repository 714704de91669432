#!/usr/bin/env bash
# The Debian packages: CPack builds cmetrack-central and cmetrack-kiosk from
# this build; each installs with dpkg into a scratch root (--root, unpacked:
# its postinst makes a system user, which a scratch root cannot); the
# layout is what deploy/README.md tells operators; the executables run; the
# systemd units pass `systemd-analyze verify` with no unknown key and keep
# their hardening.
# Usage: packages_test.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: packages_test.sh BUILD_DIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/cmetrack-packages.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "packages: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
central=$(ls "$work"/out/cmetrack-central_*_amd64.deb) || fail "no cmetrack-central .deb"
kiosk=$(ls "$work"/out/cmetrack-kiosk_*_amd64.deb) || fail "no cmetrack-kiosk .deb"

root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
for deb in "$central" "$kiosk"; do
  dpkg --root="$root" --force-depends --force-not-root --unpack "$deb" >"$work/dpkg.log" 2>&1 ||
    { cat "$work/dpkg.log" >&2; fail "dpkg --unpack $(basename "$deb") failed"; }
done

for f in usr/bin/cmetrack-central usr/bin/cmetrack-kiosk usr/bin/cmetrack-sync; do
  [[ -x $root/$f ]] || fail "$f is not installed, or not executable"
done
for f in usr/lib/systemd/system/cmetrack-central.service usr/lib/systemd/system/cmetrack-sync.service \
         usr/lib/systemd/system/cmetrack-kiosk.service \
         usr/share/doc/cmetrack-central/README.md usr/share/doc/cmetrack-kiosk/kiosk.md \
         usr/share/doc/cmetrack-kiosk/sync.md usr/share/cmetrack/demo/meeting.json; do
  [[ -f $root/$f ]] || fail "$f is not installed"
done
# A conffile waits as .dpkg-new until the package is configured.
[[ -f $root/etc/default/cmetrack-central.dpkg-new ]] || fail "etc/default/cmetrack-central is not installed"
grep -q "^/etc/default/cmetrack-central$" "$root/var/lib/dpkg/info/cmetrack-central.conffiles" ||
  fail "/etc/default/cmetrack-central is not a conffile (an upgrade would overwrite the operator's settings)"
grep -q "adduser --system --group .* cmetrack$" "$root/var/lib/dpkg/info/cmetrack-central.postinst" ||
  fail "cmetrack-central's postinst does not make the user cmetrack"
grep -q "adduser --system --group .* cmetrack-kiosk$" "$root/var/lib/dpkg/info/cmetrack-kiosk.postinst" ||
  fail "cmetrack-kiosk's postinst does not make the user cmetrack-kiosk"
grep -q "install -d -o cmetrack -g cmetrack -m 0750 /var/lib/cmetrack$" "$root/var/lib/dpkg/info/cmetrack-central.postinst" ||
  fail "cmetrack-central's postinst does not make /var/lib/cmetrack (init as the user cmetrack needs it)"
[[ $(dpkg-deb -f "$central" Depends) == *libsqlite3-0* ]] || fail "cmetrack-central does not depend on libsqlite3-0"
[[ $(dpkg-deb -f "$kiosk" Recommends) == *cage* ]] || fail "cmetrack-kiosk does not recommend cage"

# The executables run from the scratch root (their libraries are the system's).
"$root/usr/bin/cmetrack-central" --version | grep -q . || fail "cmetrack-central --version printed nothing"
"$root/usr/bin/cmetrack-sync" --version | grep -q . || fail "cmetrack-sync --version printed nothing"
"$root/usr/bin/cmetrack-kiosk" --version | grep -q . || fail "cmetrack-kiosk --version printed nothing"

# The units, pointed at the scratch root, pass systemd's own check.
for unit in cmetrack-central cmetrack-sync cmetrack-kiosk; do
  sed -e "s|/usr/bin/cage|/bin/true|; s|/usr/bin/|$root/usr/bin/|g" \
      -e "s|^EnvironmentFile=.*|EnvironmentFile=$root/etc/default/cmetrack-central.dpkg-new|" \
      "$root/usr/lib/systemd/system/$unit.service" >"$work/$unit.service"
  out=$(systemd-analyze verify --man=no "$work/$unit.service" 2>&1) || fail "$unit.service: $out"
  [[ -z $out ]] || fail "$unit.service: systemd-analyze verify says: $out"
  for key in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes "Restart="; do
    grep -q "^$key" "$work/$unit.service" || fail "$unit.service lacks $key"
  done
done
echo "packages: ok ($(basename "$central"), $(basename "$kiosk"))"
