#!/usr/bin/env bash
# Debian packages the tests need: LibreOffice converts the generated workbooks to PDF; the web
# app's browser tests drive Debian's chromium (never a downloaded browser), with a CJK font so
# their screenshots are legible.
# Installs only what is missing; needs root (or sudo) the first time.
set -euo pipefail
missing=()
command -v libreoffice >/dev/null || missing+=(libreoffice-calc-nogui)
# Writer converts the bulletins (.docx) to PDF
[ -e /usr/lib/libreoffice/program/libwriterlo.so ] || missing+=(libreoffice-writer-nogui)
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
