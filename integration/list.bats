#!/usr/bin/env bats
# list: table, quiet and JSON formats.

load helpers

function setup() {
	requires root
	setup_bundle
	set_args sleep 100

	# Two containers: $CID running, $CID2 created.
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	new_cgroups_path
	CID2=$(new_id)
	runtime create "$CID2"
	[ "$status" -eq 0 ]
}

@test "list shows a table with every container" {
	runtime list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]

	# Header, then one row per container.
	[[ "${lines[0]}" == "ID"*"PID"*"STATUS"*"BUNDLE"*"CREATED"*"OWNER"* ]]
	local row
	row=$(printf '%s\n' "${lines[@]}" | awk -v id="$CID" '$1 == id')
	[[ "$row" == *" $(state_field "$CID" pid) "* ]]
	[[ "$row" == *" running "* ]]
	[[ "$row" == *" $BUNDLE "* ]]
	row=$(printf '%s\n' "${lines[@]}" | awk -v id="$CID2" '$1 == id')
	[[ "$row" == *" created "* ]]
}

@test "list -q prints only the ids" {
	runtime list -q
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(printf '%s\n' "$CID" "$CID2" | sort)" ]
}

@test "list --quiet" {
	runtime list --quiet
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "list -f json is an array of container states" {
	runtime_split list -f json
	[ "$status" -eq 0 ]

	[ "$(jq -r 'type' <<<"$output")" = "array" ]
	[ "$(jq -r 'length' <<<"$output")" -eq 2 ]
	[ "$(jq -r --arg id "$CID" '.[] | select(.id == $id) | .status' <<<"$output")" = "running" ]
	[ "$(jq -r --arg id "$CID2" '.[] | select(.id == $id) | .status' <<<"$output")" = "created" ]
	[ "$(jq -r --arg id "$CID" '.[] | select(.id == $id) | .pid' <<<"$output")" = "$(state_field "$CID" pid)" ]
	[ "$(jq -r --arg id "$CID" '.[] | select(.id == $id) | .bundle' <<<"$output")" = "$BUNDLE" ]
}

@test "list --format json" {
	runtime_split list --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r 'map(.id) | sort | join(" ")' <<<"$output")" = "$(printf '%s\n' "$CID" "$CID2" | sort | tr '\n' ' ' | sed 's/ $//')" ]
}

@test "list shows stopped containers until they are deleted" {
	runtime kill "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped

	runtime_split list -f json
	[ "$status" -eq 0 ]
	[ "$(jq -r --arg id "$CID" '.[] | select(.id == $id) | .status' <<<"$output")" = "stopped" ]

	runtime delete "$CID"
	[ "$status" -eq 0 ]
	runtime list -q
	[ "$status" -eq 0 ]
	[ "$output" = "$CID2" ]
}

@test "list with no containers" {
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	runtime delete --force "$CID2"
	[ "$status" -eq 0 ]

	runtime list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]

	runtime list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "ID"* ]]
}

@test "list with a --root that does not exist yet" {
	(
		ROOT="$TEST_DIR/no-such-root"
		runtime list -q
		[ "$status" -eq 0 ]
		[ -z "$output" ]
		runtime list
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "ID"* ]]
	)
}
