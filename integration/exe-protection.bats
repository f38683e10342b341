#!/usr/bin/env bats
# The CVE-2019-5736 class: a process in the container must never be able to
# open the runtime's binary for writing through /proc/PID/exe, and no
# process it can see may be the runtime binary at all.

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs
}

@test "the created container's init is not the runtime binary" {
	skip_if_runc "runc's init is a copy of runc by design"
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	local pid exe
	pid=$(state_field "$CID" pid)
	exe=$(readlink "/proc/$pid/exe")
	[[ "$exe" == /memfd:* ]] || fail "init runs $exe"
	# A sealed copy: even root on the host cannot open it for writing.
	run sh -c "echo x >>/proc/$pid/exe"
	[ "$status" -ne 0 ]
	[ "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")" -lt 2048 ]
}

@test "processes racing exec cannot write to any /proc/PID/exe they see" {
	local sum_before
	sum_before=$(sha256sum "$RUNTIME_BIN" | cut -d' ' -f1)
	# The attacker loops over every pid it can see and tries to open its
	# exe for writing; a success leaves a mark. It goes on until every exec
	# is done (the stop file), however long they take on a busy host.
	cat >"$BUNDLE/rootfs/attack.sh" <<'SH'
#!/bin/sh
end=$(( $(date +%s) + 120 ))
while [ ! -e /tmp/stop ] && [ "$(date +%s)" -lt "$end" ]; do
	for e in /proc/[0-9]*/exe; do
		case "$e" in /proc/$$/exe) continue ;; esac
		# A subshell: a failed redirection would end the shell itself.
		if (exec 3>>"$e") 2>/dev/null; then echo "$e" >>/tmp/pwned; fi
	done
done
touch /tmp/attack-done
SH
	chmod +x "$BUNDLE/rootfs/attack.sh"
	set_args /attack.sh
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	local i
	for i in $(seq 20); do
		runtime exec "$CID" true
		[ "$status" -eq 0 ]
	done
	touch "$BUNDLE/rootfs/tmp/stop"
	wait_for_file "$BUNDLE/rootfs/tmp/attack-done"
	[ ! -e "$BUNDLE/rootfs/tmp/pwned" ] || fail "opened for writing: $(cat "$BUNDLE/rootfs/tmp/pwned")"
	[ "$(sha256sum "$RUNTIME_BIN" | cut -d' ' -f1)" = "$sum_before" ]
}
