#!/bin/bash
# Boot the guest (build-image.sh) and run one job in it; exit with the
# job's status.
#
#   integration/vm/run-job.sh JOB [ARG...]        # as root
#
# JOB is any executable file on the host (a shell script, usually). The
# guest gets a copy of this working tree (without .git and build/, with
# dist/ as built and node_modules/ without the build-only packages) and
# runs JOB in it as root: `./job ARG...`, stdin /dev/null.
# The guest has no network. Variables reach it only when named in
# RUNB_VM_ENV (space-separated; RUNTIME, BATS_TEST_TIMEOUT and
# RUNTIME_TIMEOUT always go). JOB's output appears here as it runs (the
# guest's serial console) and lands in OUTDIR/log; OUTDIR/console.log
# holds the whole console. Anything JOB writes to /job/out comes back in
# OUTDIR too.
#
# The guest kernel runs with mitigations=off (RUNB_VM_APPEND replaces
# that): under TCG the page-table isolation makes every system call about
# three times slower, and the tests are about cgroups, not side channels.
#
# Settings: RUNB_VM_OUT (OUTDIR, default build/vm-out, emptied first),
# RUNB_VM_CPUS (1), RUNB_VM_MEM (2048, MiB), RUNB_VM_TIMEOUT (2700 s, then
# the guest is killed), RUNB_VM_ACCEL ("kvm:tcg": KVM where it starts, TCG
# otherwise), RUNB_VM_CACHE (see build-image.sh). One guest at a time:
# under TCG it keeps a host core busy.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

if [ $# -lt 1 ] || [ ! -f "$1" ]; then
	echo "usage: run-job.sh JOB [ARG...]  (JOB: an executable file)" >&2
	exit 2
fi
job=$(realpath "$1")
shift

[ "$(id -u)" -eq 0 ] || {
	echo "run-job.sh: needs root" >&2
	exit 2
}
# The host's tools, from Debian's packages: the image's and the boot's.
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v mke2fs >/dev/null || need+=(e2fsprogs)
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
if [ ${#need[@]} -gt 0 ]; then
	echo "# installing ${need[*]}" >&2
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

image=$("$here/build-image.sh" | tail -n 1)

out=${RUNB_VM_OUT:-$repo/build/vm-out}
mkdir -p "$out"
out=$(realpath "$out")
find "$out" -mindepth 1 -delete

# The share: in/ (the tree, the job, its arguments and variables) and
# out/ (what the guest reports).
share=$(mktemp -d "${TMPDIR:-/var/tmp}/runb-vm-share.XXXXXX")
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	rm -rf --one-file-system "$share" "$share.tree" "$share.tar"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The tree goes as a tar archive on a second disk (9p is slow to read
# from under TCG); the share carries the arguments, variables and results.
mkdir -p "$share/in" "$share/out" "$share.tree"
tar -C "$repo" --exclude=./.git --exclude=./node_modules --exclude=./build -cf - . | tar -C "$share.tree" -xf -
# node_modules (often a link elsewhere) without what only builds or
# type-checks on the host: bats, bun and the runtime's packages remain.
if [ -d "$repo/node_modules" ]; then
	mkdir "$share.tree/node_modules"
	tar -C "$(readlink -f "$repo/node_modules")" --exclude=./typescript --exclude=./prettier --exclude=./@types \
		--exclude=./bun-types --exclude='./rust-just*' -cf - . | tar -C "$share.tree/node_modules" -xf -
fi
install -m 0755 "$job" "$share.tree/job"
tar -C "$share.tree" -cf "$share.tar" .
rm -rf --one-file-system "$share.tree"
: >"$share/in/args"
[ $# -eq 0 ] || printf '%s\n' "$@" >"$share/in/args"
: >"$share/in/env"
for v in RUNTIME BATS_TEST_TIMEOUT RUNTIME_TIMEOUT ${RUNB_VM_ENV:-}; do
	[ -n "${!v+x}" ] && printf '%s=%q\n' "$v" "${!v}" >>"$share/in/env"
done

accel=()
IFS=: read -ra accels <<<"${RUNB_VM_ACCEL:-kvm:tcg}"
for a in "${accels[@]}"; do
	# KVM only where a paused guest comes up: /dev/kvm can be there and
	# still refuse to set up a vCPU, which aborts qemu at once.
	if [ "$a" = kvm ]; then
		[ -w /dev/kvm ] || continue
		# (The shell that waits reports qemu's abort: to /dev/null too.)
		rc=$(
			exec 2>/dev/null
			timeout 2 qemu-system-x86_64 -accel kvm -cpu max -display none -nodefaults -S -monitor none </dev/null >/dev/null
			echo $?
		)
		[ "$rc" -eq 124 ] || continue
	fi
	accel+=(-accel "$a")
done
[ ${#accel[@]} -gt 0 ] || accel=(-accel tcg)

echo "# vm: $(basename "$job") $*, ${accel[*]}, image $image" >&2
start=$SECONDS
# The disk is a snapshot: the cached image is never written.
timeout --kill-after=10 "${RUNB_VM_TIMEOUT:-2700}" qemu-system-x86_64 \
	"${accel[@]}" -cpu max -smp "${RUNB_VM_CPUS:-1}" -m "${RUNB_VM_MEM:-2048}" \
	-display none -monitor none -serial stdio -nic none -no-reboot \
	-kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
	-append "root=/dev/vda rw console=ttyS0 panic=1 quiet ${RUNB_VM_APPEND-mitigations=off}" \
	-drive "file=$image/disk.img,if=virtio,format=raw,snapshot=on" \
	-drive "file=$share.tar,if=virtio,format=raw,readonly=on" \
	-fsdev "local,id=job,path=$share,security_model=none" \
	-device virtio-9p-pci,fsdev=job,mount_tag=job \
	</dev/null 2>&1 | sed -u 's/\r//g' | tee "$out/console.log" &
qemu_pid=$!
wait "$qemu_pid" || true
qemu_pid=

cp -a "$share/out/." "$out/"
if [ ! -s "$out/status" ]; then
	echo "# vm: the guest ended without a job status after $((SECONDS - start))s (see $out/console.log)" >&2
	exit 1
fi
status=$(cat "$out/status")
echo "# vm: job exited $status after $((SECONDS - start))s" >&2
exit "$status"
