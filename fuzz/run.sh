#!/usr/bin/env bash
# Runs the fuzz targets one after the other, each for FUZZ_SECONDS (default 60), in one
# process on one core (`make fuzz`). Each target checks the crate against an independent
# oracle from tests/oracle/, so a finding is a difference from PHP or WooCommerce, or a panic.
#
#   fuzz/run.sh                 every target
#   fuzz/run.sh header          the named targets only
#
# Needs the nightly toolchain (installed with rustup if missing) and cargo-fuzz (installed
# from crates.io if missing). The corpus grows in fuzz/corpus/<target>/ and findings land in
# fuzz/artifacts/<target>/, both ignored by git; fuzz/seeds/ and fuzz/dict/ are committed.
# The address sanitizer is off by default (FUZZ_SANITIZER=address turns it on): the crate
# has no `unsafe` code, so it would cost five times the executions and check nothing more
# than the panics and oracle differences the targets already catch.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
sanitizer="${FUZZ_SANITIZER:-none}"

if ! rustup toolchain list | grep -q '^nightly'; then
	echo "fuzz: installing the nightly toolchain (cargo-fuzz needs it)" >&2
	rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
	echo "fuzz: installing cargo-fuzz from crates.io" >&2
	cargo install cargo-fuzz --locked
fi

fuzz=(cargo +nightly fuzz)
build=(-O --debug-assertions --sanitizer "$sanitizer")
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
	mapfile -t targets < <("${fuzz[@]}" list)
fi

"${fuzz[@]}" build "${build[@]}"
for target in "${targets[@]}"; do
	echo "== fuzz $target for ${seconds}s"
	mkdir -p "fuzz/corpus/$target"
	options=(-max_total_time="$seconds" -timeout=10 -print_final_stats=1)
	if [ -f "fuzz/dict/$target.dict" ]; then
		options+=(-dict="fuzz/dict/$target.dict")
	fi
	"${fuzz[@]}" run "${build[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- "${options[@]}"
done
echo "fuzz: ${targets[*]}: no finding in ${seconds}s each"
