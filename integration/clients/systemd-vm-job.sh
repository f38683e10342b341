#!/bin/bash
# A job for integration/vm/run-job.sh: the client tests of the systemd
# cgroup driver (clients/systemd.bats) in the guest, with Podman's own
# defaults (its systemd cgroup manager), against $RUNTIME (default: the
# tree's dist/runb; RUNTIME=runc for the reference).
#
#   integration/vm/run-job.sh integration/clients/systemd-vm-job.sh
set -uo pipefail
# Run as /job/in/job in the guest, or from integration/clients/ here.
cd "$(dirname "$0")" || exit 1
[ -d integration ] || cd ../..
unset CONTAINERS_CONF
exec integration/run.sh clients/systemd.bats "$@"
