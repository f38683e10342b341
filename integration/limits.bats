#!/usr/bin/env bats
# Configs far larger than usual: the plan for the init stage grows with
# them, and must still get across in full.

load helpers

@test "2000 mounts run, as with runc" {
	requires root
	update_config '.mounts += [range(0; 2000) | {destination: "/mnt/m\(.)", type: "tmpfs", source: "tmpfs", options: ["size=64k"]}]'
	set_args sh -c 'grep -c " /mnt/m" /proc/self/mountinfo'
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = 2000 ]
}

@test "a process with 5000 environment variables and 300 arguments" {
	requires root
	update_config '.process.env += [range(0; 5000) | "VAR_\(.)=value-\(.)"]'
	# shellcheck disable=SC2046 # one word each
	set_args sh -c 'env | grep -c ^VAR_; echo "$#"; echo "$VAR_4999"' sh $(seq 300)
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 5000 ]
	[ "${lines[1]}" = 300 ]
	[ "${lines[2]}" = value-4999 ]
}
