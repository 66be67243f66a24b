#!/usr/bin/env bash
# Renders an HTML report (REPORT_DIR/index.html) to a PNG with headless Chromium, to check by eye
# (or in tests) that the page actually lays out. Usage:
#   scripts/screenshot-report.sh REPORT_DIR OUT_PNG [WIDTH [HEIGHT]]
# CHROMIUM overrides the browser binary (default /usr/bin/chromium).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 4 ]; then
  echo "usage: $0 REPORT_DIR OUT_PNG [WIDTH [HEIGHT]]" >&2
  exit 2
fi
report_dir=$1
out_png=$2
width=${3:-1400}
height=${4:-2000}
browser=${CHROMIUM:-/usr/bin/chromium}

index="$report_dir/index.html"
if [ ! -f "$index" ]; then
  echo "no report found: $index does not exist" >&2
  exit 1
fi
if [ ! -x "$browser" ]; then
  echo "chromium not found at $browser (Debian: apt-get install -y chromium, or set CHROMIUM)" >&2
  exit 1
fi

index_abs=$(cd "$(dirname "$index")" && pwd)/index.html
mkdir -p "$(dirname "$out_png")"
out_abs=$(cd "$(dirname "$out_png")" && pwd)/$(basename "$out_png")
rm -f "$out_abs"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# The flags keep Chromium offline and quiet: the report must render with no network at all.
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" --window-size="$width,$height" \
  --screenshot="$out_abs" "file://$index_abs" >/dev/null 2>&1 || true

if [ ! -s "$out_abs" ]; then
  echo "chromium did not write a screenshot to $out_abs" >&2
  exit 1
fi
echo "$out_abs"
