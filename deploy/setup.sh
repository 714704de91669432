#!/usr/bin/env bash
# Installs, from Debian's package archive, everything cmetrack needs to build,
# test and run. Installs only what is missing; safe to run again.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config git
  # libcmetrack and cmetrack-central
  libsqlite3-dev sqlite3 libpcre2-dev nlohmann-json3-dev libfmt-dev libcli11-dev
  # the central store on PostgreSQL (libpq) and the throwaway cluster of its tests and the demo
  libpq-dev postgresql-15
  # the meeting's wall clock: date/tz reading the system's zones (tzdata)
  libhowardhinnant-date-dev tzdata
  # cmetrack-kiosk: window, font, images, barcodes
  libimgui-dev libglfw3-dev libgl-dev libstb-dev libzxing-dev fonts-dejavu-core
  # the sync path: HTTPS (Boost.Asio and Beast, OpenSSL)
  libboost-dev libssl-dev openssl
  # transcripts as PDF (cairo); pdftotext reads them back in the tests
  libcairo2-dev libfontconfig-dev poppler-utils
  # tests and benchmarks
  catch2 time curl
  # the demo test reads the API's JSON answers
  jq
  # the camera benchmark reads the same frames with ZBar, side by side
  libzbar-dev
  # the kiosk's window under a virtual display, typed into as a scanner would
  xvfb xauth xdotool libgl1-mesa-dri
  # a central node whose clock is off (the clock-skew test)
  faketime
  # the staff pages' tests drive headless Chromium (tests/browser)
  chromium
  # the libFuzzer harnesses (tests/fuzz): Clang 14 and its fuzzer runtime
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
