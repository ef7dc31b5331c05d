# The README's two commands, `make demo` and `make test`, on any machine with Node >= 20.
# Hardhat 3 needs Node >= 22.13: use the machine's node when it is new enough, otherwise fetch
# Node 22 from the npm registry (package node-<os>-<arch>, a plain binary with no install script)
# into .tools/ and put it first on PATH, so that npm itself also runs under Node 22 (npm on
# Node 20 silently skips Hardhat's native EDR package, and Hardhat then fails with HHE27).

NODE22_VERSION := 22.23.3
UNAME_S := $(shell uname -s | tr A-Z a-z)
UNAME_M := $(shell uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')
NODE22_PKG := node-$(UNAME_S)-$(UNAME_M)
TOOLS := $(CURDIR)/.tools
NODE22_BIN := $(TOOLS)/node_modules/$(NODE22_PKG)/bin

NODE_OK := $(shell node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=13)?0:1)' 2>/dev/null && echo yes)
ifeq ($(NODE_OK),yes)
NODE_DEP :=
else
NODE_DEP := $(NODE22_BIN)/node
export PATH := $(NODE22_BIN):$(PATH)
endif

.PHONY: demo test build typecheck lint coverage bench clean node
.DEFAULT_GOAL := demo

demo: node_modules/.installed
	npm run demo

test: node_modules/.installed
	npx hardhat test

build: node_modules/.installed
	npx hardhat build

typecheck: build
	npx tsc --noEmit

lint: node_modules/.installed
	npm run lint:sol

coverage: node_modules/.installed
	npm run coverage

bench: node_modules/.installed
	npm run bench:gas

node: $(NODE_DEP)
	@echo "node $$(node -v) at $$(command -v node)"

$(NODE22_BIN)/node:
	@echo "Node >= 22.13 not found on PATH: installing $(NODE22_PKG)@$(NODE22_VERSION) into .tools/"
	mkdir -p $(TOOLS)
	test -f $(TOOLS)/package.json || echo '{"private":true}' > $(TOOLS)/package.json
	cd $(TOOLS) && npm install --no-save --no-package-lock --no-audit --no-fund --engine-strict=false $(NODE22_PKG)@$(NODE22_VERSION)
	@touch $@

# Reinstall whenever node_modules is missing or older than the lock file.
node_modules/.installed: package-lock.json $(NODE_DEP)
	npm ci --no-audit --no-fund
	@touch $@

clean:
	rm -rf artifacts cache coverage reports node_modules .tools .gnosis
