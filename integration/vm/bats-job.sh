#!/bin/bash
# A job for run-job.sh: integration/run.sh in the guest, on the given bats
# files (names relative to integration/, or paths), against $RUNTIME
# (default: the tree's dist/runb; RUNTIME=runc for the reference). Ends with
# run.sh's "N passed, N failed" line and its exit status.
#
# Podman is told to use its cgroupfs manager, as on the host: the guest's
# podman would otherwise pick systemd, which runb does not drive yet. Set
# CONTAINERS_CONF (through RUNB_VM_ENV) to choose otherwise.
set -uo pipefail
cd "$(dirname "$0")"
[ -d integration ] || cd ../..

if [ -z "${CONTAINERS_CONF:-}" ]; then
	export CONTAINERS_CONF=/etc/containers/runb-vm-tests.conf
	mkdir -p /etc/containers
	printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' >"$CONTAINERS_CONF"
fi
exec integration/run.sh "$@"
