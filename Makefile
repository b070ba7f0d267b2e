# Build targets for `sam build` (every function has Metadata: BuildMethod: makefile, CodeUri: .).
# SAM's plain Maven builder breaks on multi-module parents (aws-sam-cli #2289): each target builds the function
# with the root reactor and unzips its zip (classes at the root, dependencies in lib/) into $(ARTIFACTS_DIR).
# Adding a function: one line in FUNCTIONS (LogicalId:module folder under functions/).

FUNCTIONS := CustifyFunction:custify

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
MVN ?= mvn

module_of = $(word 2,$(subst :, ,$(filter $(1):%,$(FUNCTIONS))))

.PHONY: build

build:
	cd "$(ROOT)" && $(MVN) -B -q package -DskipTests

build-%:
	@test -n "$(call module_of,$*)" || { echo "no function $* in the Makefile's FUNCTIONS" >&2; exit 2; }
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; }
	cd "$(ROOT)" && $(MVN) -B -q -pl functions/$(call module_of,$*) -am package -DskipTests
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && unzip -q -o "$(ROOT)/functions/$(call module_of,$*)/target/$(call module_of,$*).zip"
