# Developer entry points. `make` alone lists them.

# Image to build and deploy: make docker-build deploy IMG=registry.example/incident-responder:dev
IMG ?= incident-responder:0.1.0
# The image name config/manager/manager.yaml carries; deploy swaps it for $(IMG).
MANIFEST_IMG := incident-responder:0.1.0

# make sim: where the simulated cluster listens (0 picks a free port) and where its kubeconfig goes.
SIM_PORT ?= 0
SIM_KUBECONFIG ?= $(CURDIR)/sim.kubeconfig

# Extra flags for make run.
ARGS ?=

DOTNET ?= dotnet
KUBECTL ?= kubectl
DOCKER ?= docker

.DEFAULT_GOAL := help

##@ General

.PHONY: help
help: ## Show the targets and what they do.
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make \033[36m<target>\033[0m [VAR=value]\n"} /^[a-zA-Z0-9_-]+:.*?##/ { printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development

.PHONY: build
build: ## Build every project of the solution.
	$(DOTNET) build Operator.sln

.PHONY: test
test: ## Run every test suite, as CI does.
	bash tests/run.sh

.PHONY: manifests
manifests: ## Regenerate the CRDs from the C# API types into config/crd/bases and the Helm chart.
	$(DOTNET) run --project src/IncidentResponder -- crds --output-dir config/crd/bases
	$(DOTNET) run --no-build --project src/IncidentResponder -- crds --output-dir charts/incident-responder/crds

.PHONY: run
run: ## Run the operator against the current kubeconfig context (flags via ARGS="--namespace demo --leader-elect").
	$(DOTNET) run --project src/IncidentResponder -- run $(ARGS)

.PHONY: e2e
e2e: ## The real-cluster suite on k3d (needs Docker and k3d; without them every test skips and says why).
	$(DOTNET) test tests/IncidentResponder.E2E.Tests

.PHONY: bench
bench: ## Run every benchmark in Release; figures print as tables (see bench/README.md).
	@for project in bench/*/*.csproj; do echo "== $$project"; $(DOTNET) run -c Release --project $$project || exit 1; done

.PHONY: soak
soak: ## The chaos soak, 30 minutes: API chaos, operators killed at random, invariants and resource trends (SOAK_SEED=N replays a run).
	$(DOTNET) run -c Release --project bench/IncidentResponder.Soak -- --duration 30m $(if $(SOAK_SEED),--seed $(SOAK_SEED))

.PHONY: sim
sim: ## Run a simulated cluster on loopback (SIM_PORT, default a free port) and write its kubeconfig (SIM_KUBECONFIG).
	$(DOTNET) run --project src/IncidentResponder -- sim --listen 127.0.0.1:$(SIM_PORT) --kubeconfig $(SIM_KUBECONFIG)

.PHONY: demo
demo: ## The operator at work in under a minute: a bad rollout on a simulated cluster, detected, rolled back, recorded.
	$(DOTNET) run --project src/IncidentResponder -- demo

##@ Packaging

.PHONY: docker-build
docker-build: ## Build the operator image (IMG=<repository>:<tag>, default incident-responder:0.1.0).
	$(DOCKER) build -t $(IMG) .

.PHONY: install-plugin
install-plugin: ## Install the kubectl plugin: kubectl-incident in PLUGIN_DIR (default ~/.local/bin), so 'kubectl incident board' works.
	$(DOTNET) run --project src/IncidentResponder -- plugin install $(if $(PLUGIN_DIR),--dir $(PLUGIN_DIR))

##@ Cluster

.PHONY: install
install: ## Install the CRDs into the current cluster.
	$(KUBECTL) apply -k config/crd

.PHONY: uninstall
uninstall: ## Remove the CRDs, and with them every Incident, Runbook and RemediationPolicy.
	$(KUBECTL) delete -k config/crd --ignore-not-found

.PHONY: deploy
deploy: ## Install CRDs, RBAC and the operator (image IMG) into incident-responder-system.
	$(KUBECTL) kustomize config/default | sed 's|image: $(MANIFEST_IMG)$$|image: $(IMG)|' | $(KUBECTL) apply -f -

.PHONY: undeploy
undeploy: ## Remove everything deploy installed, CRDs included.
	$(KUBECTL) delete -k config/default --ignore-not-found
