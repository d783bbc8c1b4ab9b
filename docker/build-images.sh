#!/usr/bin/env bash
# Builds the Compose cluster's images locally, with no registry:
#   loadchaos-jre:local        FROM scratch: a jlink'ed JRE of the local JDK + the shared libraries it
#                              and the app's native code (DuckDB, Netty, JNA, Brotli) link against
#   loadchaos-node:local       the app (loadchaos.jar + lib/) on that base (node.Dockerfile)
#   loadchaos-faultproxy:local the same app, started as the Toxiproxy-compatible fault proxy
# Each image is also tagged with a content hash of its inputs and skipped when that tag exists.
# The app is target/loadchaos.jar + target/lib (`mvn package` first), or LOADCHAOS_APP_DIR: the
# compose target (ComposeImages) passes a directory it assembled from its own classpath. Every
# image and container it creates carries the label io.loadchaos.project=loadchaos; its work
# directory is removed on exit, also on failure or interrupt. Progress: `step N/6: ...` lines.
#
# Env: LOADCHAOS_APP_DIR         directory with loadchaos.jar and lib/ (default: target)
#      LOADCHAOS_IMAGE_INPUTS    stamped as label io.loadchaos.inputs on the node and fault-proxy
#                                images (the compose target's hash of the sources they come from)
#      LOADCHAOS_JLINK_MODULES   modules for jlink (default below: `jdeps --print-module-deps` of
#                                the app + jdk.crypto.ec/jdk.zipfs/jdk.localedata for safety)
#      LOADCHAOS_BASE_IMAGE      use this base instead of building one (e.g. eclipse-temurin:17-jre)
#      LOADCHAOS_SMOKE=1         smoke-test the node image even when it was not rebuilt
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

say() { echo "[build-images] $*"; }
die() { echo "[build-images] error: $*" >&2; exit 1; }
steps=6; step_no=0
step() { step_no=$((step_no + 1)); echo "[build-images] step $step_no/$steps: $*"; }

app="${LOADCHAOS_APP_DIR:-target}"
inputs="${LOADCHAOS_IMAGE_INPUTS:-}"
step "prerequisites (app in $app, Docker daemon, jlink)"
[ -f "$app/loadchaos.jar" ] || die "$app/loadchaos.jar is missing: run 'mvn -B package -DskipTests' first"
[ -d "$app/lib" ] || die "$app/lib is missing: run 'mvn -B package -DskipTests' first"
docker info >/dev/null 2>&1 || die "no Docker daemon answers: run 'bash docker/ensure-docker.sh'"
command -v jlink >/dev/null || die "jlink not found: a full JDK 17 is needed to build the base image"

label=io.loadchaos.project=loadchaos
modules="${LOADCHAOS_JLINK_MODULES:-java.base,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.localedata,jdk.management,jdk.unsupported,jdk.zipfs}"
mkdir -p "$root/target/docker"
work="$(mktemp -d "$root/target/docker/build.XXXXXX")"
cid=""
# Nothing of a build stays behind: its work directory and its smoke-test container go on any exit.
cleanup() {
  [ -z "$cid" ] || docker rm -f -v "$cid" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
hash_of() { sha256sum | cut -c1-12; }
# runs a command, showing its output only when it fails (docker build is chatty on stderr)
# (the error names the command and the output's last line, e.g. docker build's failing instruction)
quiet() {
  local out
  if ! out="$("$@" 2>&1)"; then
    echo "$out" >&2
    die "'$1 $2' failed: $(printf '%s\n' "$out" | sed '/^[[:space:]]*$/d' | tail -n 1)"
  fi
}

# ---- base: jlink'ed JRE + its shared libraries, FROM scratch ----------------------------------
build_base() {
  local libs_in="$work/native"
  rm -rf "$libs_in"; mkdir -p "$libs_in"
  # The app's own native code is extracted from its jars at run time; find what it links against.
  for jar in "$app"/lib/*.jar; do
    unzip -Z1 "$jar" 2>/dev/null \
      | grep -E '(linux[-_]?(amd64|x86[-_]64)|(amd64|x86[-_]64).*linux|linux-x86_64/).*|libduckdb_java\.so_linux_amd64' \
      | grep -E '\.so' | while read -r entry; do
        unzip -q -o -j "$jar" "$entry" -d "$libs_in" 2>/dev/null || true
      done || true   # most jars have no native code
  done
  local tag_hash
  tag_hash="$( { java -version 2>&1; echo "$modules"; declare -f build_base;
                 ls "$libs_in" | sort; } | hash_of)"
  base="loadchaos-jre:$tag_hash"
  if image_exists "$base"; then say "base $base exists"; docker tag "$base" loadchaos-jre:local; return; fi

  local ctx="$work/base"; rm -rf "$ctx"; mkdir -p "$ctx/rootfs"
  say "jlink ($modules)"
  jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$ctx/rootfs/opt/java"
  # JDK 17's jlink has no CDS archive: dump the default one so every container JVM starts faster.
  "$ctx/rootfs/opt/java/bin/java" -Xshare:dump >/dev/null 2>&1 || say "no CDS archive (JVM start is slower)"
  # Every shared library the JRE, libjvm and the app's native code need, at their host paths.
  local objs=("$ctx/rootfs/opt/java/bin/java" "$ctx/rootfs/opt/java/bin/keytool")
  while IFS= read -r -d '' so; do objs+=("$so"); done < <(find "$ctx/rootfs/opt/java/lib" "$libs_in" -type f -print0)
  local deps
  deps="$(for o in "${objs[@]}"; do ldd "$o" 2>/dev/null || true; done \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)"
  for d in $deps; do
    case "$d" in "$ctx"/*|"$libs_in"/*) continue ;; esac
    # keep the path as ldd names it and store the real file there (no dangling symlinks)
    mkdir -p "$ctx/rootfs$(dirname "$d")"
    cp -L "$d" "$ctx/rootfs$d"
  done
  # The loader finds the libraries through its cache, as on the host.
  mkdir -p "$ctx/rootfs/etc" "$ctx/rootfs/root"
  printf '%s\n' /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib > "$ctx/rootfs/etc/ld.so.conf"
  ldconfig -r "$ctx/rootfs" 2>/dev/null || true
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > "$ctx/rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$ctx/rootfs/etc/group"
  printf 'hosts: files dns\n' > "$ctx/rootfs/etc/nsswitch.conf"
  # java.io.tmpdir: DuckDB, Netty and JNA extract their native libraries there
  mkdir -p "$ctx/rootfs/tmp"; chmod 1777 "$ctx/rootfs/tmp"
  cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin LANG=C.UTF-8
LABEL $label io.loadchaos.image=jre
DOCKERFILE
  say "building $base ($(du -sh "$ctx/rootfs" | cut -f1))"
  quiet docker build -q --force-rm -t "$base" -t loadchaos-jre:local "$ctx"
  local v
  v="$(docker run --rm --label "$label" --network none "$base" java -version 2>&1)" || die "base image: java does not start: $v"
  say "base: $(echo "$v" | head -1)"
}

step "base image: jlink runtime + shared libraries, FROM scratch"
if [ -n "${LOADCHAOS_BASE_IMAGE:-}" ]; then
  base="$LOADCHAOS_BASE_IMAGE"
  say "using base $base"
else
  build_base
fi

# ---- app images --------------------------------------------------------------------------------
ctx="$work/app"
rm -rf "$ctx"; mkdir -p "$ctx"
# hard links: no copy of the 150 MB of jars when the app is on this file system
cp -al "$app/lib" "$ctx/lib" 2>/dev/null || cp -a "$app/lib" "$ctx/lib"
cp -l "$app/loadchaos.jar" "$ctx/" 2>/dev/null || cp "$app/loadchaos.jar" "$ctx/"
# (names and sizes of the jars, not `ls -l`: its link count changes with every hard link)
app_hash="$( { docker image inspect -f '{{.Id}}' "$base" 2>/dev/null || echo "$base"; echo "$inputs";
               sha256sum "$app/loadchaos.jar" docker/node.Dockerfile docker/faultproxy.Dockerfile | cut -d' ' -f1;
               (cd "$app/lib" && find . -type f -printf '%P %s\n' | sort); } | hash_of)"
inputs_label=()
[ -z "$inputs" ] || inputs_label=(--label "io.loadchaos.inputs=$inputs")

built_node=""
for kind in node faultproxy; do
  image="loadchaos-$kind:$app_hash"
  step "$kind image $image"
  if image_exists "$image"; then
    say "$image exists"
  else
    [ "$kind" = node ] && built_node=1
    quiet docker build -q --force-rm --build-arg "BASE_IMAGE=$base" -f "docker/$kind.Dockerfile" \
      --label "$label" --label "io.loadchaos.image=$kind" ${inputs_label[@]+"${inputs_label[@]}"} -t "$image" "$ctx"
  fi
  docker tag "$image" "loadchaos-$kind:local"
done

step "drop older hash-tagged images of this project"
# Older hash-tagged images of this project are dropped (never one a container still uses).
keep=" loadchaos-node:$app_hash loadchaos-faultproxy:$app_hash $base loadchaos-jre:local loadchaos-node:local loadchaos-faultproxy:local "
docker images --filter "label=$label" --format '{{.Repository}}:{{.Tag}}' | while read -r ref; do
  case "$ref" in loadchaos-jre:*|loadchaos-node:*|loadchaos-faultproxy:*) ;; *) continue ;; esac
  case "$keep" in *" $ref "*) continue ;; esac
  docker rmi "$ref" >/dev/null 2>&1 || true
done

# A freshly built node image must really start: the CLI answers, and a node serves SQL (DuckDB's
# native library is extracted to /tmp and loaded) after a write. (LOADCHAOS_SMOKE=1 forces it.)
step "smoke test of the node image"
if [ -z "$built_node" ] && [ "${LOADCHAOS_SMOKE:-}" != 1 ]; then
  say "images ready: loadchaos-node:local loadchaos-faultproxy:local (= :$app_hash, checked when built)"
  exit 0
fi
help="$(docker run --rm --label "$label" --network none loadchaos-node:local --help 2>&1)" || die "node image: the CLI does not start: $help"
if grep -qE '^\s+node\s' <<<"$help"; then
  cid="$(docker run -d --label "$label" -p 127.0.0.1::8181 loadchaos-node:local \
    node --id 1 --http 0.0.0.0:8181 --data-dir /data)"
  port="$(docker port "$cid" 8181/tcp | head -1 | sed 's/.*://')"
  ok=""
  for ((i = 0; i < 60; i++)); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then ok=1; break; fi
    sleep 1
  done
  [ -n "$ok" ] || { docker logs "$cid" 2>&1 | tail -30 >&2; die "node image: /health did not answer within 60 s"; }
  curl -fsS -X POST "http://127.0.0.1:$port/api/v3/write_lp?db=smoke" --data-binary 'm,t=a v=1i 1700000000000000000' \
    || { docker logs "$cid" 2>&1 | tail -30 >&2; die "node image: write failed"; }
  rows="$(curl -fsS "http://127.0.0.1:$port/api/v3/query_sql?db=smoke&format=jsonl" --data-urlencode 'q=SELECT count(*) AS n FROM m' -G)" \
    || { docker logs "$cid" 2>&1 | tail -30 >&2; die "node image: query failed"; }
  grep -q '"n":1' <<<"$rows" || die "node image: expected one row back, got: $rows"
  docker rm -f -v "$cid" >/dev/null; cid=""
  say "node image: /health, write and SQL (DuckDB) work"
else
  say "node image: this jar has no 'node' command yet; only the CLI was checked"
fi
say "images ready: loadchaos-node:local loadchaos-faultproxy:local (= :$app_hash)"
