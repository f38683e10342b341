#!/usr/bin/env bats
# state: the JSON document of the runtime spec.

load helpers

function setup() {
	requires root
	setup_bundle
	set_args sleep 100
}

@test "state has the fields of the runtime spec" {
	update_config '.annotations = {"org.example.key": "value", "org.example.other": "2"}'
	runtime create "$CID"
	[ "$status" -eq 0 ]

	runtime_split state "$CID"
	[ "$status" -eq 0 ]
	local json=$output

	[[ "$(jq -r .ociVersion <<<"$json")" =~ ^1\.[0-9]+\. ]]
	[ "$(jq -r .id <<<"$json")" = "$CID" ]
	[ "$(jq -r .status <<<"$json")" = "created" ]
	[[ "$(jq -r .pid <<<"$json")" =~ ^[1-9][0-9]*$ ]]
	[ "$(jq -r .bundle <<<"$json")" = "$BUNDLE" ]
	[ "$(jq -r .rootfs <<<"$json")" = "$BUNDLE/rootfs" ]
	[ "$(jq -r '.annotations["org.example.key"]' <<<"$json")" = "value" ]
	[ "$(jq -r '.annotations["org.example.other"]' <<<"$json")" = "2" ]
	[ "$(jq -r '.owner | type' <<<"$json")" = "string" ]
}

@test "state: created is an RFC 3339 time, close to now" {
	local before after created
	before=$(date +%s)
	runtime create "$CID"
	[ "$status" -eq 0 ]
	after=$(date +%s)

	created=$(state_field "$CID" created)
	echo "created: $created"
	[[ "$created" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]]
	local t
	t=$(date -d "$created" +%s)
	[ "$t" -ge $((before - 1)) ]
	[ "$t" -le $((after + 1)) ]
}

@test "state: created does not change with the status" {
	runtime create "$CID"
	[ "$status" -eq 0 ]
	local created
	created=$(state_field "$CID" created)
	[ -n "$created" ]

	runtime start "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "running" ]
	[ "$(state_field "$CID" created)" = "$created" ]
}

@test "state: bundle is absolute when given as a relative path" {
	cd "$TEST_DIR"
	runtime create --bundle bundle "$CID"
	[ "$status" -eq 0 ]

	[ "$(state_field "$CID" bundle)" = "$BUNDLE" ]
	[ "$(state_field "$CID" rootfs)" = "$BUNDLE/rootfs" ]
}

@test "state: bundle defaults to the current directory" {
	runtime create "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" bundle)" = "$BUNDLE" ]
}

@test "state: pid is the container's init as seen from the host" {
	writable_rootfs
	set_args sh -c 'touch /tmp/ready; exec sleep 100'
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	wait_for_file "$BUNDLE/rootfs/tmp/ready"

	local pid
	pid=$(state_field "$CID" pid)
	[ "$(cat "/proc/$pid/comm")" = "sleep" ]
	[ "$(readlink "/proc/$pid/ns/pid")" != "$(readlink /proc/$$/ns/pid)" ]
}

@test "state: running, then stopped with pid 0" {
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "running" ]

	runtime kill "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped

	runtime state "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = "stopped" ]
	[ "$(jq -r .pid <<<"$output")" = "0" ]
	[ "$(jq -r .id <<<"$output")" = "$CID" ]
}

@test "state: a container whose init died behind the runtime's back is stopped" {
	runtime run -d "$CID"
	[ "$status" -eq 0 ]

	kill -9 "$(state_field "$CID" pid)"
	wait_for_status "$CID" stopped
}

@test "state of an unknown id fails" {
	runtime_split state no-such-container
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container does not exist"* ]]
	[ -z "$output" ]
}
