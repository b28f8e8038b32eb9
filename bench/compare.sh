# Shared by the benchmarks that compare two generated corpora (bench/languages.sh,
# bench/local-versions.sh); sourced, not run.
#
# compare_corpora LABEL RUNS BIN WORK A B: builds $WORK/$A and $WORK/$B with BIN, RUNS times
# each, alternating the two run by run (a machine that slows down during the run slows both
# alike), on the real disk ($WORK/out) and on tmpfs, each build starting from an empty output
# folder after `sync`. Prints each corpus's median wall time (with every run's), median CPU
# time (user + system) and peak memory, then B over A for wall and CPU time, for each medium.

# The median of the numbers on stdin.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

compare_corpora() {
  local label="$1" runs="$2" bin="$3" work="$4" a="$5" b="$6"
  local medium out corpus wall user sys peak
  for medium in disk tmpfs; do
    case "$medium" in
      disk) out="$work/out" ;;
      tmpfs) out="/dev/shm/$(basename "$work")" ;;
    esac
    declare -A walls=() cpus=() peaks=() w=() c=()
    for _ in $(seq "$runs"); do
      for corpus in "$a" "$b"; do
        rm -rf "$out"; sync
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" build --root "$work/$corpus" \
          --output "$out" >/dev/null 2>&1 || true
        read -r wall user sys peak < "$work/time"
        walls[$corpus]+=" $wall"
        cpus[$corpus]+=" $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"
        peaks[$corpus]+=" $peak"
      done
    done
    for corpus in "$a" "$b"; do
      w[$corpus]=$(echo ${walls[$corpus]} | tr ' ' '\n' | median)
      c[$corpus]=$(echo ${cpus[$corpus]} | tr ' ' '\n' | median)
      peak=$(echo ${peaks[$corpus]} | tr ' ' '\n' | median)
      echo "$medium $corpus: median ${w[$corpus]} s wall (runs:${walls[$corpus]}), ${c[$corpus]} s CPU, peak $((${peak%.*} / 1024)) MB"
    done
    echo "$medium: $label = $(awk -v x="${w[$b]}" -v y="${w[$a]}" 'BEGIN {printf "%.2f", x / y}')x wall, $(awk -v x="${c[$b]}" -v y="${c[$a]}" 'BEGIN {printf "%.2f", x / y}')x CPU"
    rm -rf "$out"
  done
}
