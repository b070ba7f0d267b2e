# Build targets for `sam build` (every function has Metadata: BuildMethod: makefile, CodeUri: .).
# SAM's plain Maven builder breaks on multi-module parents (aws-sam-cli #2289): each target builds the function
# with the root reactor and unzips its zip (classes at the root, dependencies in lib/) into $(ARTIFACTS_DIR).
# sam runs `make -f <this file> build-<LogicalId>` with ARTIFACTS_DIR set, from a scratch copy of the sources
# (or from the sources themselves with BuildInSource): every recipe works from this file's own directory.
#
# Adding a function: one word in FUNCTIONS (<LogicalId>:<module folder under functions/>), e.g.
#   FUNCTIONS := CustifyFunction:custify UserComFunction:user-com GainsightPxFunction:gainsight-px
# bin/sam-build-check runs every target the way sam does and checks the artifacts.

FUNCTIONS := CustifyFunction:custify UserComFunction:user-com GainsightPxFunction:gainsight-px

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
MVN ?= mvn
MVN_FLAGS ?= -B -q

module_of = $(word 2,$(subst :, ,$(filter $(1):%,$(FUNCTIONS))))

.PHONY: build functions

# the whole reactor: every function zip and the tools
build:
	cd "$(ROOT)" && $(MVN) $(MVN_FLAGS) package -DskipTests

# lists the sam build targets
functions:
	@$(foreach f,$(FUNCTIONS),echo "build-$(word 1,$(subst :, ,$(f)))  <- functions/$(word 2,$(subst :, ,$(f)))";)

build-%:
	@test -n "$(call module_of,$*)" || { echo "no function $* in the Makefile's FUNCTIONS" >&2; exit 2; }
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; }
	cd "$(ROOT)" && $(MVN) $(MVN_FLAGS) -pl functions/$(call module_of,$*) -am package -DskipTests
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && if command -v unzip >/dev/null 2>&1; \
	  then unzip -q -o "$(ROOT)/functions/$(call module_of,$*)/target/$(call module_of,$*).zip"; \
	  else jar xf "$(ROOT)/functions/$(call module_of,$*)/target/$(call module_of,$*).zip"; fi
