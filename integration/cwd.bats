#!/usr/bin/env bats
# The process: its working directory, made when missing, entered with the
# runtime's rights first and the container user's after, always inside
# the container; and an exec that fails after start.

load helpers

function setup() {
	requires root
	setup_bundle
}

@test "a missing cwd is made" {
	update_config '.process.cwd = "/new/dir"'
	set_args pwd
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = /new/dir ]
}

@test "a cwd only root may enter works for a non-root user, as in runc" {
	mkdir -m 0700 "$BUNDLE/rootfs/root-only"
	update_config '.process.cwd = "/root-only" | .process.user = {uid: 1000, gid: 1000}'
	set_args sh -c 'pwd; ls . >/dev/null 2>&1 && echo listed || echo not-listed'
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = /root-only ]
	[ "${lines[1]}" = not-listed ]
}

@test "exec --cwd and a cwd through a symlink stay inside the container" {
	mkdir -p "$BUNDLE/rootfs/real"
	ln -s ../../../../../../real "$BUNDLE/rootfs/link"
	update_config '.process.cwd = "/link"'
	set_args sh -c 'pwd -P; sleep 100'
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	runtime exec --cwd /link "$CID" pwd -P
	[ "$status" -eq 0 ]
	[ "$output" = /real ]
}

@test "an execve that fails after start says so in runc's words" {
	printf '#!/nonexistent\necho hi\n' >"$BUNDLE/rootfs/badscript"
	chmod +x "$BUNDLE/rootfs/badscript"
	set_args /badscript
	runtime run "$CID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"exec /badscript: no such file or directory"* ]]
}
