#!/usr/bin/env bash
# The whole suite: unit tests (bun test) and the bats integration tests
# against the compiled binary. Ends with one line "N passed, N failed" and
# exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."

unit_log=$(mktemp)
./node_modules/.bin/bun test 2>&1 | tee "$unit_log"
unit_pass=$(grep -Eo '^ *[0-9]+ pass$' "$unit_log" | grep -Eo '[0-9]+' | tail -1)
unit_fail=$(grep -Eo '^ *[0-9]+ fail$' "$unit_log" | grep -Eo '[0-9]+' | tail -1)
rm -f "$unit_log"
unit_pass=${unit_pass:-0}
unit_fail=${unit_fail:-1}   # no summary line means bun test itself broke

bats_log=$(mktemp)
integration/run.sh 2>&1 | tee "$bats_log"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$bats_log" | tail -1)
rm -f "$bats_log"
bats_pass=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${summary:-0 passed, 1 failed}")
bats_fail=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"${summary:-0 passed, 1 failed}")

passed=$((unit_pass + bats_pass))
failed=$((unit_fail + bats_fail))
echo "unit: ${unit_pass} passed, ${unit_fail} failed; integration: ${bats_pass} passed, ${bats_fail} failed"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
