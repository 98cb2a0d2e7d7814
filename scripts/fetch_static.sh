#!/usr/bin/env bash
# Fetch the map's JavaScript and CSS from the npm registry into static/vendor/,
# checking each tarball against the integrity in static.lock.  Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=static/vendor
mkdir -p "$vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -v '^#' static.lock | while read -r spec integrity; do
  [ -n "$spec" ] || continue
  name=${spec%@*}
  stamp="$vendor/$name/.integrity"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$integrity" ]; then continue; fi
  tarball=$(cd "$work" && npm pack --silent "$spec")
  expected=${integrity#sha512-}
  actual=$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)
  if [ "$actual" != "$expected" ]; then
    echo "fetch_static: $spec integrity mismatch (expected $expected, got $actual)" >&2
    exit 1
  fi
  rm -rf "${vendor:?}/$name"
  mkdir -p "$vendor/$name"
  tar -xzf "$work/$tarball" -C "$vendor/$name" --strip-components=1
  echo "$integrity" > "$stamp"
done
