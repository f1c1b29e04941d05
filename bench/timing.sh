# Whole-process timings for the bench parts (sourced; WORK is the part's folder).
# seconds NAME CMD...: runs CMD once; WORK/NAME.time holds "wall user sys peak-KB", WORK/NAME.log its output.
seconds() { /usr/bin/time -f "%e %U %S %M" -o "$WORK/$1.time" "${@:2}" > "$WORK/$1.log" 2>&1 || { cat "$WORK/$1.log" >&2; exit 1; }; }
# median NAME CMD...: runs CMD BENCH_RUNS times (default 3) and keeps the run of median wall time in
# WORK/NAME.time (its output in WORK/NAME.1.log …), so that one slow start of a shared machine does not decide.
median() {
  local name="$1" k; shift
  for ((k = 1; k <= ${BENCH_RUNS:-3}; k++)); do seconds "$name.$k" "$@"; done
  sort -n "$WORK/$name".*.time | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }' > "$WORK/$name.time"
  rm -f "$WORK/$name".*.time
}
