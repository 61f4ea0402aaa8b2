#!/bin/sh
# Debian packages the test run needs: chromium for the browser tests (driven by Playwright; never a
# downloaded browser build) and Pango for WeasyPrint's PDFs. Installs only what is missing.
set -e
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium fonts-liberation"
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
[ -z "$missing" ] && exit 0
echo "Installing Debian packages:$missing"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
