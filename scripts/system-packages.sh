#!/usr/bin/env bash
# Debian packages the tests need: LibreOffice converts the generated workbooks to PDF; the web
# app's browser tests drive Debian's chromium (never a downloaded browser), with a CJK font so
# their screenshots are legible; the province engine (PySpark) runs on Debian's Java 17.
# Installs only what is missing; needs root (or sudo) the first time. When another apt or dpkg
# is running (unattended upgrades on a fresh machine), it waits for its lock instead of failing.
set -euo pipefail
missing=()
command -v libreoffice >/dev/null || missing+=(libreoffice-calc-nogui)
# Writer converts the bulletins (.docx) to PDF
[ -e /usr/lib/libreoffice/program/libwriterlo.so ] || missing+=(libreoffice-writer-nogui)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
wait_seconds=600
# dpkg's lock: apt itself waits up to wait_seconds
apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=$wait_seconds")

# The package lists' lock is not covered by DPkg::Lock::Timeout on every apt version: retry
# while the failure is a held lock, for at most wait_seconds; any other failure stops at once.
apt_waiting() {
    local waited=0 log
    log=$(mktemp)
    until "${apt[@]}" "$@" 2>"$log"; do
        if ! grep -qiE "could not get lock|unable to lock|无法获得锁|无法锁定" "$log" \
            || [ "$waited" -ge "$wait_seconds" ]; then
            cat "$log" >&2
            rm -f "$log"
            return 1
        fi
        echo "另一个 apt/dpkg 正在运行，等待其结束（已等 ${waited} 秒）……" >&2
        sleep 10
        waited=$((waited + 10))
    done
    cat "$log" >&2
    rm -f "$log"
}

apt_waiting update -qq
apt_waiting install -y -qq --no-install-recommends "${missing[@]}"
