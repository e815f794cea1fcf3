# syntax=docker/dockerfile:1
# The incident-responder operator image: built with the .NET SDK, run on a chiseled (distroless) ASP.NET runtime.
#   make docker-build IMG=<repository>:<tag>

# ---- build: runs on the builder's own platform and cross-publishes for the target architecture ----
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
# The image runs only the operator's commands (run, crds, postmortem, history, version): the simulated cluster and the
# demo stay out, and with them about 12k lines and the CEL and JSON Schema libraries only they use.
# --build-arg INCLUDE_SIMULATOR=true builds an image that can also run `sim` and `demo`.
ARG INCLUDE_SIMULATOR=false
WORKDIR /src

# Restore first, from the build settings and project files alone, so the package layer is reused until a
# dependency changes. Every project src/IncidentResponder references (directly or not, the simulator included) must be
# listed here; a test in tests/IncidentResponder.Deploy.Tests checks it.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/IncidentResponder.Api/IncidentResponder.Api.csproj src/IncidentResponder.Api/
COPY src/IncidentResponder.Core/IncidentResponder.Core.csproj src/IncidentResponder.Core/
COPY src/IncidentResponder.Crds/IncidentResponder.Crds.csproj src/IncidentResponder.Crds/
COPY src/IncidentResponder.History/IncidentResponder.History.csproj src/IncidentResponder.History/
COPY src/IncidentResponder.Operator/IncidentResponder.Operator.csproj src/IncidentResponder.Operator/
COPY src/IncidentResponder.Runtime/IncidentResponder.Runtime.csproj src/IncidentResponder.Runtime/
COPY src/IncidentResponder.Simulator/IncidentResponder.Simulator.csproj src/IncidentResponder.Simulator/
COPY src/IncidentResponder/IncidentResponder.csproj src/IncidentResponder/
RUN dotnet restore src/IncidentResponder/IncidentResponder.csproj -a $TARGETARCH -p:IncludeSimulator=$INCLUDE_SIMULATOR

COPY src/ src/
# With the simulator, the samples are embedded in the executable (incident-responder demo applies them).
COPY config/samples/ config/samples/
# Framework-dependent: the runtime image already carries .NET and ASP.NET Core, so the app layer stays small.
RUN dotnet publish src/IncidentResponder/IncidentResponder.csproj -c Release -a $TARGETARCH --self-contained false \
      --no-restore -p:IncludeSimulator=$INCLUDE_SIMULATOR -o /app

# ---- runtime: Ubuntu with git and the OpenSSH client, for git write-back ----
# Write-back runs the git CLI (LibGit2Sharp's native binaries have no SSH transport), and git runs ssh and its
# GIT_ASKPASS helper through /bin/sh, so this stage cannot be the chiseled image (no shell, no package manager). The
# image tag is the pin, as for the build stage: Ubuntu's archive drops superseded package versions, so pinning apt
# versions would break the build at the next security update instead of picking it up. ssh refuses to run for a uid
# without a passwd entry, so the distroless "nonroot" uid gets one, with home /tmp (the emptyDir the manifests mount).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 65532 nonroot \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin nonroot
WORKDIR /app
COPY --from=build /app ./
# The diagnostics IPC socket and debugger pipes need a writable /tmp; without one, a read-only root filesystem
# stops the runtime at startup. Off by default so the image runs read-only anywhere; the Kubernetes manifests
# mount an emptyDir at /tmp, so set DOTNET_EnableDiagnostics=1 there to attach dotnet-counters or dotnet-trace.
ENV DOTNET_EnableDiagnostics=0 \
    DOTNET_gcServer=0
# A fixed numeric non-root UID (the distroless "nonroot" convention), so Kubernetes can verify runAsNonRoot and
# the manifests' runAsUser: 65532 matches.
USER 65532:65532
EXPOSE 9463 9464
ENTRYPOINT ["/app/incident-responder"]
CMD ["run", "--metrics-bind-address=:9463", "--health-probe-bind-address=:9464"]
