# runb: build, test and benchmark. Run `just --list` for the recipes.

bun := "./node_modules/.bin/bun"
bats := "./node_modules/bats/bin/bats"
# The commit `--version` names; a tree outside git says "unknown".
commit := `git describe --dirty --long --always 2>/dev/null || echo unknown`

# Build the single self-contained binary at dist/runb. ESM with splitting:
# each command's modules are separate chunks, loaded only when it runs.
# Each chunk a command loads costs the engine heap blocks of its own, so
# the chunks are few: small chunks without top-level side effects
# (package.json says no module has any) fold into one that the same
# commands load anyway. The code imports statically for that reason: a
# require() would wrap every module it reaches in a lazy initialiser, a
# side effect that keeps those chunks apart.
# Every command is short-lived and runs most of its code once: with the
# engine's tier-up thresholds 16 times higher, the JIT compilers (their
# worker threads, their code pages, their CPU time) stay out of it.
build: stub
    {{bun}} build --define 'RUNB_COMMIT="{{commit}}"' --compile --compile-jit-policy=16 --format=esm --splitting --min-chunk-size=65536 --bytecode --minify --sourcemap=none --no-compile-autoload-dotenv --no-compile-autoload-bunfig runtime/main.ts --outfile dist/runb

# The C init stage, embedded in the binary at build time.
stub:
    #!/usr/bin/env bash
    set -euo pipefail
    mkdir -p build
    # musl makes a stub a tenth of glibc's size: less to copy into each
    # container's memfd, to map, and to keep resident while it waits. It
    # takes the kernel's own headers from the system, nothing else.
    if command -v musl-gcc >/dev/null; then
        inc=build/musl-include
        mkdir -p "$inc"
        ln -sfn /usr/include/linux "$inc/linux"
        ln -sfn /usr/include/asm-generic "$inc/asm-generic"
        ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" "$inc/asm"
        musl-gcc -static -Os -Wall -Wextra -Werror -isystem "$inc" -o build/runb-stub runtime/linux/native/*.c
    else
        echo "musl-gcc not found (apt-get install musl-tools): building the stub with glibc" >&2
        gcc -static -Os -Wall -Wextra -Werror -o build/runb-stub runtime/linux/native/*.c
    fi
    strip build/runb-stub

# Regenerate spec/generated/ (types and standalone validators) from spec/schema/.
gen:
    {{bun}} spec/gen.ts

# A busybox bundle in DIR, and a container run on it.
demo dir="build/demo": build
    integration/make-bundle.sh {{dir}}
    cd {{dir}} && jq '.process.args = ["sh", "-c", "echo hello from $(hostname), pid $$; cat /proc/self/cgroup | head -3"] | .process.terminal = false | .hostname = "runb-demo"' config.json > config.json.new && mv config.json.new config.json
    ./dist/runb --root build/demo-state run --bundle {{dir}} runb-demo-$$

# Type-check (Bun does not).
typecheck:
    ./node_modules/.bin/tsc --noEmit -p .

# Unit tests (no root needed for most; kernel-facing ones skip when not root).
unit: stub
    {{bun}} test

# Integration tests against the compiled binary (RUNTIME=runc to check the contract).
integration: build
    integration/run.sh

# Everything: type-check, unit tests, integration tests; ends with "N passed, N failed".
test: build typecheck
    integration/test-all.sh

# The bats files run in the guest by default (and in CI): the cgroup v2
# checks, the suite's core and the clients, on a systemd + cgroup v2 host.
vm_subset := "cgroups-v2.bats cgroups.bats lifecycle.bats exec.bats handoff.bats clients/podman.bats clients/containerd.bats"

# Bats files in a Debian 12 guest (systemd, cgroup v2) under qemu, as root: `just vm-test [FILES...]`, RUNTIME=runc for the reference. See integration/vm/README.md.
vm-test *files: build
    integration/vm/run-job.sh integration/vm/bats-job.sh {{ if files == "" { vm_subset } else { files } }}

# CI's guest run: the default subset, then the systemd driver's client tests (clients/systemd.bats), in one boot.
vm-ci: build
    integration/vm/run-job.sh integration/vm/ci-job.sh {{vm_subset}}

# Benchmark runb against runc and crun (as root; installs them if missing): `just bench [--full] [-n N]`.
bench *args: build
    bench/run.sh {{args}}
