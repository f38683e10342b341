#!/bin/bash
# The guest's part of CI, in one boot: the bats files given (the cgroup v2
# subset, with podman on its cgroupfs manager: bats-job.sh), then the
# systemd driver's client tests with podman's own defaults
# (clients/systemd-vm-job.sh). Ends with one "N passed, N failed" line for
# both, and fails if either did.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
[ -d integration ] || cd ../..

passed=0
failed=0
# part CMD...: run CMD, add up its summary; no summary counts as a failure.
part() {
	local log rc line
	log=$(mktemp)
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")))
	local f
	f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	failed=$((failed + f))
}

part integration/vm/bats-job.sh "$@"
part integration/clients/systemd-vm-job.sh
echo "guest: ${passed} passed, ${failed} failed"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
