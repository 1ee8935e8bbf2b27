#!/usr/bin/env bash
# Installs everything the build and the tests need, from Debian packages and npm only.
# Idempotent: each step checks first, so `make test` and `make run` can call it every time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

debs=(build-essential cmake ninja-build pkg-config emscripten janus chromium
      libboost1.81-dev libssl-dev nlohmann-json3-dev doctest-dev libcli11-dev
      fonts-dejavu-core openssl iproute2 util-linux dpkg-dev clang-14 libclang-rt-14-dev
      brotli fonttools binaryen
      libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
      gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice
      python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-plugins-bad-1.0)

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done

need_src=0
[ -f .deps/imgui/imgui.cpp ] || need_src=1

if [ ${#missing[@]} -gt 0 ] || [ $need_src -eq 1 ]; then
  # Debian's ImGui source is only in the source package: add a deb-src entry once.
  if ! grep -rqs '^Types: deb deb-src\|^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      $sudo_cmd sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
    else
      echo "deb-src http://deb.debian.org/debian bookworm main" | $sudo_cmd tee /etc/apt/sources.list.d/confhost-src.list >/dev/null
    fi
  fi
  echo "setup: apt-get update"
  $sudo_cmd apt-get update -qq
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian does not start a system Janus in these sandboxes; make sure none holds our ports if it did.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet janus 2>/dev/null; then
  $sudo_cmd systemctl stop janus || true
fi

if [ $need_src -eq 1 ]; then
  echo "setup: fetching Dear ImGui from Debian's source package"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source -qq --download-only imgui >/dev/null 2>&1 && dpkg-source -x --no-check imgui_*.dsc src >/dev/null)
  mkdir -p .deps
  rm -rf .deps/imgui
  mv "$tmp/src" .deps/imgui
  rm -rf "$tmp"
fi

# Browser test driver (playwright-core only: it uses Debian's chromium, never downloads a browser).
if ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
if ! (cd tests/browser && npm ls --silent >/dev/null 2>&1); then
  echo "setup: npm ci (tests/browser)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
# Third-party WHIP/WHEP browser clients of the interop suite, pinned in tests/interop/package-lock.json.
if ! (cd tests/interop && npm ls --silent >/dev/null 2>&1); then
  echo "setup: npm ci (tests/interop)"
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: ok"
