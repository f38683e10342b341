#!/bin/bash
# Run the integration suite against $RUNTIME (default: ../dist/runb) and
# print a summary line: "N passed, N failed[, N skipped]".
#
#   integration/run.sh                      # every *.bats file
#   RUNTIME=runc integration/run.sh         # against runc
#   integration/run.sh kill.bats -f KILL    # some files, bats options
#
# Needs root, jq, busybox-static (/bin/busybox) and bats (node_modules).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bats="$here/../node_modules/bats/bin/bats"
if [ ! -x "$bats" ]; then
	bats=$(command -v bats) || {
		echo "bats not found: npm install, or put bats on PATH" >&2
		exit 2
	}
fi

export RUNTIME=${RUNTIME:-$here/../dist/runb}
case $RUNTIME in
*/*) runtime_bin=$RUNTIME ;;
*) runtime_bin=$(command -v "$RUNTIME") || runtime_bin=$RUNTIME ;;
esac
if [ ! -x "$runtime_bin" ]; then
	echo "runtime not found: $RUNTIME (build it, or set RUNTIME=runc)" >&2
	exit 2
fi

# Files and options for bats: default to every test file here.
args=()
have_file=
for a in "$@"; do
	case $a in
	*.bats)
		[ -e "$a" ] || a="$here/$a"
		have_file=1
		;;
	esac
	args+=("$a")
done
if [ -z "$have_file" ]; then
	args+=("$here"/*.bats "$here"/clients/*.bats)
fi

# A test that hangs is failed rather than holding up the run. The longest
# test takes a few seconds. Kept short because bats 1.13 also waits this
# long after every test that fails (its watchdog is not stopped on that
# path: bats-core issue 1206).
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-90}

echo "# runtime: $runtime_bin ($("$runtime_bin" --version 2>/dev/null | head -n1))"

tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
start=$SECONDS
"$bats" --tap "${args[@]}" | tee "$tap"
rc=${PIPESTATUS[0]}

skipped=$(grep -cE '^ok [0-9]+ .* # skip' "$tap")
ok=$(grep -cE '^ok [0-9]+' "$tap")
failed=$(grep -cE '^not ok [0-9]+' "$tap")
passed=$((ok - skipped))

echo "# took $((SECONDS - start))s"
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary+=", $skipped skipped"
echo "$summary"

if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ]; then
	exit 1
fi
