#!/usr/bin/env bash
# Finds Chromium and the Noto fonts the browser tests need, installing them where we may:
# Debian's packages as root; otherwise Playwright's own download where that is allowed.
set -euo pipefail

have_browser() { [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; }
have_fonts() {
  command -v fc-list >/dev/null || return 1
  local fonts
  fonts=$(fc-list)
  grep -q "Noto Sans CJK" <<<"$fonts" && grep -qi "Tibetan" <<<"$fonts"
}

if have_browser && have_fonts; then
  echo "chromium: $("${CHROMIUM_PATH:-/usr/bin/chromium}" --version 2>/dev/null | head -1); fonts: Noto CJK and Tibetan present"
  exit 0
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing chromium and Noto fonts from Debian's packages…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk fontconfig >/dev/null
  have_browser && have_fonts && { echo "chromium and fonts installed"; exit 0; }
fi

if ! have_browser && [ -z "${CI:-}" ]; then
  echo "No Debian chromium and not root: trying Playwright's own Chromium download…"
  if npx playwright install chromium; then
    echo "Using Playwright's Chromium (set CHROMIUM_PATH to use another)."
    exit 0
  fi
fi

echo "ERROR: the browser tests need Chromium and the Noto CJK/Tibetan fonts." >&2
echo "On Debian: sudo apt-get install chromium fonts-noto-core fonts-noto-cjk" >&2
exit 1
