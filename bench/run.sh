#!/usr/bin/env bash
# Build speed, measured side by side: generates seeded corpora with examples/gen_corpus.rs, builds
# each several times with `playbook build` (and the same guide bodies with Hugo, when installed),
# writing the site to a folder on the real disk AND to tmpfs (/dev/shm) in the same run, and
# (when run as root) to a freshly made ext4 filesystem with default options in an image file on
# that same disk, and prints the median wall time, the peak memory (`/usr/bin/time -v`), the ratios, and what each
# build wrote (files, folders, bytes). Hugo is run in turn with playbook, run for run (on the
# guides, and again on the playbooks of the same size), so that a machine whose speed drifts
# during the run weighs on both tools alike.
#
#   bash bench/run.sh                                   # the full run (about 25 minutes on 2 cores)
#   bash bench/run.sh --quick                           # 1,000 guides and playbooks, 3 runs each
#   bash bench/run.sh --guides 200 --playbooks 200 --runs 1        # a smoke test of the script
#
# Options: --runs N (default 5), --guides "SIZES" (default "1000 10000"), --playbooks "SIZES"
# (default "1000 10000 50000"), --quick (--guides 1000 --playbooks 1000 --runs 3), --work DIR for
# the corpora (default $TMPDIR/playbook-bench), --disk-dir DIR for the sites built on disk
# (default $work/out, which must not be tmpfs: it is where authors and CI build), --tmpfs-dir DIR
# (default /dev/shm/playbook-bench), --no-tmpfs or --no-disk to measure one medium only,
# --no-ext4 to skip the ext4 image, --no-hugo, --no-build (use target/release as it is),
# --install (apt-get install hugo and time if missing).
#
# Why the ext4 image: the machine's own disk may be formatted unusually. A CI runner's or an
# author's disk is ext4 with a journal (mkfs's default); without one, ext4 avoids reusing the
# inodes of recently deleted files, and each delete-and-rebuild cycle makes the next one slower
# (see the README's benchmark section). The image is sparse, beside the disk folder, and
# loop-mounted for the run only.
set -euo pipefail

runs=5
guide_sizes="1000 10000"
playbook_sizes="1000 10000 50000"
work="${TMPDIR:-/tmp}/playbook-bench"
disk_dir=""
tmpfs_dir=/dev/shm/playbook-bench
use_disk=1
use_tmpfs=1
use_ext4=1
use_hugo=1
build=1
install=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --guides) guide_sizes="$2"; shift 2 ;;
    --playbooks) playbook_sizes="$2"; shift 2 ;;
    --quick) guide_sizes=1000 playbook_sizes=1000 runs=3; shift ;;
    --work) work="$2"; shift 2 ;;
    --disk-dir) disk_dir="$2"; shift 2 ;;
    --tmpfs-dir) tmpfs_dir="$2"; shift 2 ;;
    --no-disk) use_disk=0; shift ;;
    --no-tmpfs) use_tmpfs=0; shift ;;
    --no-ext4) use_ext4=0; shift ;;
    --no-hugo) use_hugo=0; shift ;;
    --no-build) build=0; shift ;;
    --install) install=1; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

if [ "$install" = 1 ]; then
  missing=""
  [ -x /usr/bin/time ] || missing="$missing time"
  [ "$use_hugo" = 0 ] || command -v hugo >/dev/null || missing="$missing hugo"
  if [ -n "$missing" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
fi
if [ ! -x /usr/bin/time ]; then
  echo "error: /usr/bin/time is missing: apt-get install time (or run with --install)" >&2
  exit 1
fi
if [ "$use_hugo" = 1 ] && ! command -v hugo >/dev/null; then
  echo "note: hugo is not installed (apt-get install hugo, or --install): measuring playbook alone" >&2
  use_hugo=0
fi

if [ "$build" = 1 ]; then
  cargo build --release --quiet --bin playbook --example gen_corpus
fi
playbook="$repo/target/release/playbook"
gen="$repo/target/release/examples/gen_corpus"
mkdir -p "$work"
[ -n "$disk_dir" ] || disk_dir="$work/out"

# describe_fs DIR: the device, file system and mount options under DIR, and for ext4 whether it
# keeps a journal.
describe_fs() {
  local source fstype options journal=""
  read -r source fstype options < <(findmnt -n -o SOURCE,FSTYPE,OPTIONS --target "$1")
  if [ "$fstype" = ext4 ]; then
    if ls /proc/fs/jbd2 2>/dev/null | grep -q "^$(basename "$source")-"; then
      journal=", with a journal"
    else
      journal=", WITHOUT a journal"
    fi
  fi
  echo "$source, $fstype ($options)$journal"
}

# The media measured: "name:folder" pairs.
media=()
if [ "$use_disk" = 1 ]; then
  mkdir -p "$disk_dir"
  fs=$(stat -f -c %T "$disk_dir")
  if [ "$fs" = tmpfs ] || [ "$fs" = ramfs ]; then
    echo "error: --disk-dir $disk_dir is on $fs, not a disk (see --help)" >&2
    exit 2
  fi
  media+=("disk:$disk_dir")
  echo "disk: $(describe_fs "$disk_dir")" >&2
fi
if [ "$use_disk" = 1 ] && [ "$use_ext4" = 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v mkfs.ext4 >/dev/null && command -v losetup >/dev/null; then
    ext4_image="$disk_dir/ext4.img" ext4_dir="$disk_dir/ext4"
    mountpoint -q "$ext4_dir" 2>/dev/null && umount "$ext4_dir"
    rm -f "$ext4_image"
    truncate -s 16G "$ext4_image"
    mkdir -p "$ext4_dir"
    if mkfs.ext4 -q -F "$ext4_image" && mount -o loop "$ext4_image" "$ext4_dir"; then
      trap 'umount "$ext4_dir" 2>/dev/null; rm -f "$ext4_image"' EXIT
      media+=("ext4:$ext4_dir")
      echo "ext4: $(describe_fs "$ext4_dir")" >&2
    else
      echo "note: could not make and mount an ext4 image: measuring without it" >&2
      rm -f "$ext4_image"
    fi
  else
    echo "note: the ext4 image needs root, mkfs.ext4 and losetup: measuring without it" >&2
  fi
fi
if [ "$use_tmpfs" = 1 ]; then
  if mkdir -p "$tmpfs_dir" 2>/dev/null && [ -w "$tmpfs_dir" ]; then
    media+=("tmpfs:$tmpfs_dir")
  else
    echo "note: $tmpfs_dir cannot be written: measuring on disk only" >&2
  fi
fi
if [ "${#media[@]}" = 0 ]; then
  echo "error: nothing to measure on (--no-disk and no tmpfs)" >&2
  exit 2
fi
# Review dates in the corpus are all after this day, so the builds have no warnings.
export PLAYBOOK_TODAY=2026-06-01

# Zola 0.22 on this machine class, from the issue (not installable here): seconds by page count.
zola_seconds() {
  case "$1" in
    1000) echo 0.51 ;;
    10000) echo 13.8 ;;
    *) echo "" ;;
  esac
}

# run_once OUT COMMAND...: removes OUT and syncs (so every run starts from the same disk state),
# runs COMMAND (which writes a site to OUT) and sets $run_s (wall time in seconds) and $run_kb
# (its maximum resident set size, from `/usr/bin/time -v`). Stops the script if COMMAND fails.
run_once() {
  local out="$1" log="$work/time.log"; shift
  rm -rf "$out"
  sync
  if ! /usr/bin/time -v -o "$log" "$@" >"$work/run.out" 2>&1; then
    echo "error: $* failed:" >&2
    tail -20 "$work/run.out" >&2
    exit 1
  fi
  run_s=$(awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + p[j]; printf "%.2f", s }' "$log")
  run_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
}

# summarize NAME OUT PEAK_KB TIME...: sets $median_s, $peak_mb and $wrote (files, folders and
# size of what the last run left in OUT) from the runs' times, and prints them.
summarize() {
  local name="$1" out="$2" peak_kb="$3"; shift 3
  median_s=$(printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {
    if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  peak_mb=$((peak_kb / 1024))
  wrote="$(find "$out" -type f | wc -l) files, $(find "$out" -type d | wc -l) folders, $(du -sm "$out" | cut -f1) MB"
  printf '  %-40s runs: %s  median %7.2f s  peak %5d MB  (%s)\n' "$name" \
    "$(printf '%s ' "$@")" "$median_s" "$peak_mb" "$wrote" >&2
}

# measure NAME OUT COMMAND...: runs COMMAND (which writes the site to OUT) $runs times and
# sets $median_s, $peak_mb (the largest maximum resident set size of the runs) and $wrote.
measure() {
  local name="$1" out="$2"; shift 2
  local times=() peak_kb=0 i
  for ((i = 1; i <= runs; i++)); do
    run_once "$out" "$@"
    times+=("$run_s")
    [ "$run_kb" -gt "$peak_kb" ] && peak_kb=$run_kb
  done
  summarize "$name" "$out" "$peak_kb" "${times[@]}"
}

# measure_pair NAME_A OUT_A NAME_B OUT_B: runs the commands in the arrays $cmd_a (writing to
# OUT_A) and $cmd_b (writing to OUT_B) $runs times each, in turn (A then B, then B then A, and
# so on), so that a machine getting faster or slower during the run weighs on both alike; the
# ratio of two tools is only fair when they were measured side by side. Sets $a_s, $a_mb and
# $a_wrote for A and $median_s, $peak_mb and $wrote for B.
measure_pair() {
  local name_a="$1" out_a="$2" name_b="$3" out_b="$4"
  local -A times=() peak=([a]=0 [b]=0)
  local i which
  for ((i = 1; i <= runs; i++)); do
    local order="a b"
    [ $((i % 2)) = 0 ] && order="b a"
    for which in $order; do
      if [ "$which" = a ]; then
        run_once "$out_a" "${cmd_a[@]}"
      else
        run_once "$out_b" "${cmd_b[@]}"
      fi
      times[$which]+="$run_s "
      [ "$run_kb" -gt "${peak[$which]}" ] && peak[$which]=$run_kb
    done
  done
  # shellcheck disable=SC2086 # each list is seconds separated by spaces
  summarize "$name_a" "$out_a" "${peak[a]}" ${times[a]}
  a_s=$median_s a_mb=$peak_mb a_wrote=$wrote
  # shellcheck disable=SC2086
  summarize "$name_b" "$out_b" "${peak[b]}" ${times[b]}
}

# measure_playbook NAME OUT HUGO_SITE HUGO_OUT COMMAND...: measures COMMAND (a playbook build
# writing OUT) $runs times, with Hugo building HUGO_SITE into HUGO_OUT in turn with it (see
# measure_pair) when Hugo is used and HUGO_SITE is not empty. Sets $pb_s, $pb_mb and $pb_wrote,
# and $hugo_s, $hugo_mb and $hugo_wrote (empty without Hugo).
measure_playbook() {
  local name="$1" out="$2" hugo_site="$3" hugo_out="$4"; shift 4
  hugo_s="" hugo_mb="" hugo_wrote=""
  if [ "$use_hugo" = 1 ] && [ -n "$hugo_site" ]; then
    cmd_a=("$@")
    cmd_b=(hugo --quiet --source "$hugo_site" --destination "$hugo_out")
    measure_pair "$name" "$out" "hugo beside ${name#playbook, }" "$hugo_out"
    hugo_s=$median_s hugo_mb=$peak_mb hugo_wrote=$wrote
    pb_s=$a_s pb_mb=$a_mb pb_wrote=$a_wrote
  else
    measure "$name" "$out" "$@"
    pb_s=$median_s pb_mb=$peak_mb pb_wrote=$wrote
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "playbook build benchmark: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB," \
  "$runs runs each, median wall time and peak memory" >&2
echo "load before: $(uptime)" >&2
echo "corpora in $work; built sites in: ${media[*]}" >&2
[ "$use_hugo" = 1 ] && echo "hugo: $(hugo version 2>/dev/null | head -1)" >&2

rows=()
written=()
# The Hugo sites made in this run, by size: the playbook corpora of the same size are measured
# against them too, side by side.
declare -A hugo_site_of
for n in $guide_sizes; do
  echo "guides: $n pages" >&2
  site="$work/guides-$n"
  hugo_site="$work/hugo-$n"
  "$gen" --playbooks 0 --guides "$n" --out "$site" --hugo "$hugo_site" 2>/dev/null
  hugo_site_of[$n]=$hugo_site
  for medium in "${media[@]}"; do
    kind="${medium%%:*}" out="${medium#*:}/out" hugo_out="${medium#*:}/out-hugo"
    measure_playbook "playbook, $n guides, $kind" "$out" "$hugo_site" "$hugo_out" \
      "$playbook" build --root "$site" --output "$out"
    pages=$(find "$out" -name '*.html' | wc -l)
    index=$(find "$out/search/index" -type f | wc -l)
    written+=("$(printf '%-26s %-6s playbook: %s (search index %s files)' "$n guides" "$kind" "$pb_wrote" "$index")")
    [ -z "$hugo_s" ] || written+=("$(printf '%-26s %-6s hugo:     %s' "$n guides" "$kind" "$hugo_wrote")")
    zola_s=$(zola_seconds "$n")
    rows+=("$(printf '%-26s %-6s %9s %8s | %9s %8s %7s | %9s %7s' "$n guides ($pages html)" "$kind" \
      "$pb_s" "$pb_mb" "${hugo_s:--}" "${hugo_mb:--}" \
      "$( [ -n "$hugo_s" ] && echo "$(ratio "$hugo_s" "$pb_s")x" || echo -)" \
      "${zola_s:--}" "$( [ -n "$zola_s" ] && echo "$(ratio "$zola_s" "$pb_s")x" || echo -)")")
  done
done

pb_rows=()
declare -A first_n first_s
for n in $playbook_sizes; do
  echo "playbooks: $n" >&2
  site="$work/playbooks-$n"
  "$gen" --playbooks "$n" --guides 0 --out "$site" 2>/dev/null
  for medium in "${media[@]}"; do
    kind="${medium%%:*}" out="${medium#*:}/out" hugo_out="${medium#*:}/out-hugo"
    # Hugo again, on as many plain pages, run by run beside the playbooks.
    measure_playbook "playbook, $n playbooks, $kind" "$out" "${hugo_site_of[$n]:-}" "$hugo_out" \
      "$playbook" build --root "$site" --output "$out"
    vs_hugo="-"
    [ -z "$hugo_s" ] || vs_hugo="$(ratio "$hugo_s" "$pb_s")x (hugo $hugo_s s)"
    pages=$(find "$out" -name '*.html' | wc -l)
    index=$(find "$out/search/index" -type f | wc -l)
    written+=("$(printf '%-26s %-6s playbook: %s (search index %s files)' "$n playbooks" "$kind" "$pb_wrote" "$index")")
    per_k=$(awk -v s="$pb_s" -v n="$n" 'BEGIN { printf "%.3f", s * 1000 / n }')
    if [ -z "${first_n[$kind]:-}" ]; then first_n[$kind]=$n first_s[$kind]=$pb_s; fi
    scale=$(awk -v s="$pb_s" -v n="$n" -v s0="${first_s[$kind]}" -v n0="${first_n[$kind]}" \
      'BEGIN { printf "%.2f", (s / s0) / (n / n0) }')
    pb_rows+=("$(printf '%-29s %-6s %9s %8s %11s %10s %24s' "$n playbooks ($pages html)" "$kind" \
      "$pb_s" "$pb_mb" "$per_k" "$scale" "$vs_hugo")")
  done
done
for medium in "${media[@]}"; do rm -rf "${medium#*:}/out" "${medium#*:}/out-hugo"; done

echo
echo "load after: $(uptime)"
echo "machine: $(nproc) cores; disk: the built site written to a folder on the machine's disk" \
  "(what authors and CI do), as it is formatted; ext4: to a new ext4 file system with mkfs's" \
  "default options (a journal) in an image file on the same disk; tmpfs: written to memory" \
  "(/dev/shm), which leaves the disk out"
echo
echo "Plain guides: playbook against Hugo (measured now, on the same medium) and Zola 0.22 (the issue's figures)"
printf '%-26s %-6s %9s %8s | %9s %8s %7s | %9s %7s\n' "corpus" "medium" "playbook" "peak MB" \
  "hugo s" "peak MB" "faster" "zola s" "faster"
for row in "${rows[@]}"; do echo "$row"; done
echo
echo "Full playbooks (checklists, diagrams, list pages, taxonomies): time against size"
printf '%-29s %-6s %9s %8s %11s %10s %24s\n' "corpus" "medium" "seconds" "peak MB" "s per 1000" \
  "vs linear" "hugo plain / this"
for row in "${pb_rows[@]}"; do echo "$row"; done
echo
echo "What each build wrote"
for row in "${written[@]}"; do echo "$row"; done
echo
echo "'faster' is the other tool's median over playbook's; 'vs linear' is time per page relative"
echo "to the smallest size on the same medium (1.00 = exactly linear); 'hugo plain / this' compares"
echo "with Hugo building the same number of plain pages on the same medium (above 1 means the"
echo "playbooks built faster)."
