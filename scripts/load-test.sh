#!/usr/bin/env bash
# Load test of `aand serve` on loopback: throughput and latency at concurrency 1, 8 and 32,
# a 4x overload (only 200 or 503 allowed, nothing may hang), and resident memory over 10,000
# requests after warm-up. Compares with `aand bench` of the same network on the same machine.
# Load generators: wrk for the timed runs, hey for the counted memory run (both Debian packages,
# installed when missing).
#
#   scripts/load-test.sh [--model DIR] [--image FILE] [--duration S] [--memory-requests N]
#                        [--port P] [--work DIR] [--lanes auto|N]
#
# Without --model it trains a small cookie model (256 px, 1 + 2 epochs) from the sample in the jar.
# Traffic goes to 127.0.0.1 only. Everything it starts is stopped on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
aand="$here/aand"
model=""
image=""
duration=20
memory_requests=10000
port=18080
work=""
max_batch=8
queue=64
lanes=auto

while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --image) image="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --memory-requests) memory_requests="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --lanes) lanes="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "load-test: unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in wrk hey; do
  if ! command -v "$tool" >/dev/null; then
    echo "load-test: installing $tool (Debian package)" >&2
    apt-get install -y "$tool" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$tool" >/dev/null; }
  fi
done

work="${work:-$(mktemp -d /tmp/aand-load-XXXXXX)}"
mkdir -p "$work"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

"$aand" --version >/dev/null # builds the jar when needed
jar="$here/aand-cli/target/aand.jar"

if [ -z "$model" ]; then
  model="$work/trained/cookie"
  if [ ! -f "$model/weights.safetensors" ]; then
    echo "load-test: training a cookie model (256 px, 1 + 2 epochs) into $model" >&2
    rm -rf "$work/sample"
    unzip -q "$jar" 'dev/aand/demo/cookie/*' -d "$work/sample"
    "$aand" train --dataset mvtec --root "$work/sample/dev/aand/demo" --category cookie --out "$model" \
      --image-size 256 --stage1-epochs 1 --stage2-epochs 2 --validation 0.2 >"$work/train.log" 2>&1
  fi
fi
model="$(cd "$model" && pwd)"
if [ -z "$image" ]; then
  image="$work/request.jpg"
  unzip -p "$jar" 'dev/aand/demo/cookie/test/cracked/000.jpg' >"$image"
fi
case "$image" in
  *.png) ctype=image/png ;; *.bmp) ctype=image/bmp ;; *.tif|*.tiff) ctype=image/tiff ;; *) ctype=image/jpeg ;;
esac

json_field() { # json_field FILE KEY -> the number or string after "KEY":
  sed -n "s/.*\"$2\": *\"\{0,1\}\([^\",}]*\).*/\1/p" "$1" | head -1
}
backbone="$(json_field "$model/config.json" backbone)"
size="$(json_field "$model/config.json" imageSize)"
method="$(json_field "$model/config.json" method)"
echo "load-test: model $model ($backbone, $method, $size px), request $image ($ctype), work $work" >&2

# The engine alone on the same trained model (trained weights ran slower than fresh ones here).
"$aand" bench --model "$model" --batch-size 8 --warmup 3 --iterations 10 >"$work/bench8.json"
# 100 single images: enough for the engine's own p99, the floor under the service's.
"$aand" bench --model "$model" --batch-size 1 --warmup 3 --iterations 100 >"$work/bench1.json"
bench8_ips="$(json_field "$work/bench8.json" images_per_second)"
bench1_ms="$(json_field "$work/bench1.json" ms_per_image)"
bench1_p99="$(json_field "$work/bench1.json" p99)"

mkdir -p "$work/models"
ln -sfn "$model" "$work/models/model"
"$aand" serve --models "$work/models" --host 127.0.0.1 --port "$port" --max-batch "$max_batch" --max-wait-ms 5 \
  --queue "$queue" --lanes "$lanes" --drain-seconds 30 >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "load-test: the server died:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "load-test: server not ready" >&2; exit 1; }
grep -m1 "^lanes: " "$work/serve.log" || echo "lanes: $lanes"

cat >"$work/post.lua" <<'LUA'
-- POSTs one image and counts the response statuses.
local f = assert(io.open(os.getenv("AAND_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("AAND_CTYPE")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
  end
  local s = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.2f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f"
      .. " err_connect=%d err_read=%d err_write=%d err_timeout=%d",
      summary.requests, s, summary.requests / s, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, summary.errors.connect, summary.errors.read,
      summary.errors.write, summary.errors.timeout))
  for k, v in pairs(total) do io.write(string.format(" status_%d=%d", k, v)) end
  io.write("\n")
end
LUA

url="http://127.0.0.1:$port/v1/models/model/predict"
run_wrk() { # run_wrk CONNECTIONS DURATION -> the RESULT line
  local c="$1" d="$2" t=2
  [ "$c" -lt 2 ] && t=1
  AAND_BODY="$image" AAND_CTYPE="$ctype" wrk -t "$t" -c "$c" -d "$d" --timeout 60s -s "$work/post.lua" "$url" | grep '^RESULT'
}
run_hey() { # run_hey REQUESTS CONCURRENCY -> the RESULT line, like run_wrk's (hey sends REQUESTS rounded down to a multiple of CONCURRENCY)
  hey -n "$1" -c "$2" -t 60 -m POST -T "$ctype" -D "$image" "$url" >"$work/hey.txt"
  awk '
    /Requests\/sec:/ { rps = $2 } /Total:/ && !total { total = $2 }
    / 50% in / { p50 = $3 * 1000 } / 95% in / { p95 = $3 * 1000 } / 99% in / { p99 = $3 * 1000 } /Slowest:/ { mx = $2 * 1000 }
    /^  \[[0-9]+\]/ { code = substr($1, 2, length($1) - 2); st = st " status_" code "=" $2; n += $2 }
    /Error distribution/ { inerr = 1; next } inerr && /\[[0-9]+\]/ { errs += substr($1, 2, length($1) - 2) }
    END { printf "RESULT requests=%d seconds=%.2f rps=%.2f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f err_connect=0 err_read=%d err_write=0 err_timeout=0%s\n", n, total, rps, p50, p95, p99, mx, errs, st }
  ' "$work/hey.txt"
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
rss_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status"; }
non2xx() { echo "$1" | tr ' ' '\n' | { grep '^status_' || true; } | { grep -v '^status_2' || true; } | sed 's/^status_//' | tr '\n' ' '; }

drain() { # waits until no image is queued or in a batch, so that no run inherits the last one's work
  local depth
  for _ in $(seq 1 600); do
    depth="$(curl -sf "http://127.0.0.1:$port/metrics" | sed -n 's/^aand_queue_depth{model="model"} //p')"
    [ "${depth%.*}" = 0 ] && break
    sleep 0.5
  done
  sleep 2 # the batch already taken from the queue
}

echo "load-test: warm-up" >&2
run_wrk 8 5s >/dev/null
declare -A result
for c in 1 8 32; do
  drain
  echo "load-test: concurrency $c for ${duration}s" >&2
  result[$c]="$(run_wrk "$c" "${duration}s")"
done
over=$((4 * (queue + max_batch)))
echo "load-test: overload, $over connections (4x queue + batch) for ${duration}s" >&2
result[over]="$(run_wrk "$over" "${duration}s")"
curl -sf "http://127.0.0.1:$port/health/live" >/dev/null || { echo "load-test: server not live after overload" >&2; exit 1; }
# Images admitted during the overload are still scored after wrk hung up: let the queue empty.
drain

warmup=$(( memory_requests / 10 > 80 ? memory_requests / 10 : 80 ))
echo "load-test: memory: $warmup warm-up requests, then $memory_requests at concurrency 8" >&2
run_hey "$warmup" 8 >/dev/null
rss_before="$(rss_kib)"
result[mem]="$(run_hey "$memory_requests" 8)"
rss_after="$(rss_kib)"

kill -TERM "$server_pid"
set +e
wait "$server_pid"
exit_code=$?
set -e
server_pid=""

printf '\n%-22s %9s %9s %9s %9s %9s  %s\n' "run" "req/s" "p50 ms" "p95 ms" "p99 ms" "requests" "statuses other than 200 / socket errors"
for k in 1 8 32 over mem; do
  r="${result[$k]}"
  printf '%-22s %9s %9s %9s %9s %9s  %s\n' "$( [ "$k" = over ] && echo "overload c=$over" || { [ "$k" = mem ] && echo "memory c=8" || echo "concurrency $k"; })" \
    "$(field "$r" rps)" "$(field "$r" p50_ms)" "$(field "$r" p95_ms)" "$(field "$r" p99_ms)" "$(field "$r" requests)" \
    "$(non2xx "$r")/ connect $(field "$r" err_connect) read $(field "$r" err_read) write $(field "$r" err_write) timeout $(field "$r" err_timeout)"
done
echo
echo "bench --batch-size 8: $bench8_ips images/s; bench --batch-size 1: $bench1_ms ms median"
awk -v s="$(field "${result[8]}" rps)" -v b="$bench8_ips" 'BEGIN { r = s / b; printf "throughput c=8 / bench b8 = %.2f (target >= 0.90): %s\n", r, (r >= 0.9 ? "PASS" : "FAIL") }'
awk -v p="$(field "${result[1]}" p99_ms)" -v b="$bench1_ms" -v e="$bench1_p99" 'BEGIN { lim = 1.2 * b + 10; printf "p99 c=1 = %.1f ms, limit 1.2 x %.1f + 10 = %.1f ms: %s (the engine alone, bench: p99 %.1f ms)\n", p, b, lim, (p <= lim ? "PASS" : "FAIL"), e }'
# The same percentile on both sides: the limit above asks the service for less jitter than the engine alone has.
awk -v p="$(field "${result[1]}" p99_ms)" -v e="$bench1_p99" 'BEGIN { lim = 1.2 * e + 10; printf "p99 c=1 = %.1f ms against bench p99: limit 1.2 x %.1f + 10 = %.1f ms: %s\n", p, e, lim, (p <= lim ? "PASS" : "FAIL") }'
nominal_bad=""
for c in 1 8 32; do nominal_bad+="$(non2xx "${result[$c]}")"; done
echo "non-2xx under nominal load (c=1, 8, 32): ${nominal_bad:-none}: $( [ -z "$nominal_bad" ] && echo PASS || echo FAIL)"
over_bad="$(non2xx "${result[over]}" | tr ' ' '\n' | { grep -v '^503=' || true; } | { grep -v '^$' || true; } | tr '\n' ' ')"
over_errs=$(( $(field "${result[over]}" err_connect) + $(field "${result[over]}" err_read) + $(field "${result[over]}" err_write) + $(field "${result[over]}" err_timeout) ))
echo "overload: statuses other than 200/503: ${over_bad:-none}; socket errors/timeouts: $over_errs; 200s: $(field "${result[over]}" status_200 | grep . || echo 0), 503s: $(field "${result[over]}" status_503 | grep . || echo 0): $( [ -z "$over_bad" ] && [ "$over_errs" = 0 ] && echo PASS || echo FAIL)"
awk -v a="$rss_before" -v b="$rss_after" -v n="$(field "${result[mem]}" requests)" 'BEGIN { g = (b - a) * 100 / a; printf "RSS %.0f MiB -> %.0f MiB over %d requests: %+.1f%% (target < 5%%): %s\n", a / 1024, b / 1024, n, g, (g < 5 ? "PASS" : "FAIL") }'
echo "server exit status after SIGTERM: $exit_code ($( [ "$exit_code" = 0 ] && echo PASS || echo FAIL))"
echo "logs and results: $work"
