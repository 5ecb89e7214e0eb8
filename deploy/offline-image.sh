#!/usr/bin/env bash
# Builds an OCI image tarball of vault-service or sensor-gateway with jib-core, offline: no registry,
# no Docker daemon (docs/decisions/039). The Quarkus Jib extension (mvn -Pimages) cannot do this: it
# only pushes to a registry or loads into a Docker/Podman engine, and its base image is on a registry.
# Here the base is scratch plus a jlink'd JRE from this JDK and the shared libraries it needs, copied
# from this (glibc, x86-64/arm64 Linux) machine — so the image is only as patched as the build host.
#   deploy/offline-image.sh sensor-gateway       → sensor-gateway/target/image/sensor-gateway-image.tar
#   deploy/offline-image.sh vault-service        (the production build, target/quarkus-app)
# Load it where an engine exists: podman load -i …tar / skopeo copy oci-archive:…tar docker://REGISTRY/…
set -euo pipefail
module=${1:?usage: offline-image.sh vault-service|sensor-gateway}
repo=$(cd "$(dirname "$0")/.." && pwd)
app="$repo/$module/target/quarkus-app"
[ -f "$app/quarkus-run.jar" ] || { echo "$app is missing: build first (mvn -B -DskipTests package)" >&2; exit 2; }
case $module in vault-service) ports="8080 8443 9000";; sensor-gateway) ports="8081 9001";; *) echo "unknown module $module" >&2; exit 2;; esac
out="$repo/$module/target/image"
rm -rf "$out/jre" "$out/os"; mkdir -p "$out/os/tmp" "$out/os/etc"
mvn=mvn; command -v mvn >/dev/null || mvn="$repo/mvnw"
tool="$repo/deploy/images"
"$mvn" -B -q -f "$tool/pom.xml" dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" >&2
mkdir -p "$out/classes"
javac -d "$out/classes" -cp "$(cat "$out/cp.txt")" "$tool/src/main/java/org/vitalvault/images/OfflineImage.java"
# The JRE: every java.se module plus what Quarkus, Netty and JDBC reach for outside it.
jlink --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.management \
      --strip-debug --no-man-pages --no-header-files --output "$out/jre"
# Its shared libraries and the dynamic loader, from this machine.
for f in $(ldd "$out/jre/bin/java" "$out"/jre/lib/server/libjvm.so "$out"/jre/lib/*.so 2>/dev/null \
           | awk '$2 == "=>" && $3 ~ /^\// && $3 !~ /\/jre\// {print $3}' | sort -u); do
  mkdir -p "$out/os$(dirname "$f")"; cp -L "$f" "$out/os$f"
done
loader=$(readelf -l "$out/jre/bin/java" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
mkdir -p "$out/os$(dirname "$loader")"; cp -L "$loader" "$out/os$loader"
printf 'root:x:0:0::/root:/sbin/nologin\njboss:x:185:185::/deployments:/sbin/nologin\n' > "$out/os/etc/passwd"
# shellcheck disable=SC2086
java -cp "$out/classes:$(cat "$out/cp.txt")" org.vitalvault.images.OfflineImage "$out/jre" "$out/os" "$app" \
     "$out/$module-image.tar" "vitalvault/$module:0.1.0-SNAPSHOT" $ports
