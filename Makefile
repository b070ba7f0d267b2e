# Build targets for `sam build` (every function has Metadata: BuildMethod: makefile and CodeUri sam/<Name>, whose
# Makefile includes this one). SAM's plain Maven builder breaks on multi-module parents (aws-sam-cli #2289): each
# target builds the function with the root reactor and unzips its zip (classes at the root, dependencies in lib/)
# into $(ARTIFACTS_DIR). sam runs `make -f sam/<Name>/Makefile build-<LogicalId>` with ARTIFACTS_DIR set, from a
# scratch copy of that folder: every recipe works from this file's own directory, so Maven always builds in this
# source tree.
#
# `sam build --parallel` runs every target at once in that one tree. So the Maven step runs under a lock and
# builds all functions' zips in one reactor (the shared modules once); a target that gets the lock after it
# finds the stamp newer than every source and only unzips. The stamp is also what makes a rebuild with no
# source change cheap: SAM's own --cached never hits for makefile builds (aws-sam-cli #2989).
#
# Each function's sam/<Name>/Makefile sets MODULE (its folder under functions/) before including this file, so no
# list of functions is kept here: the zips are every functions/*/ module's. Adding a destination:
# docs/architecture.md, "The template". bin/sam-check runs the real `sam validate --lint` and `sam build` and checks
# the built template and artifacts.

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
MVN ?= mvn
MVN_FLAGS ?= -B -q
STAMP := target/sam-build.stamp
comma := ,
space := $(subst ,, )
MODULES := $(subst $(space),$(comma),$(strip $(patsubst $(ROOT)/%/pom.xml,%,$(wildcard $(ROOT)/functions/*/pom.xml))))

.PHONY: build functions zips

# the whole reactor: every function zip and the tools
build:
	cd "$(ROOT)" && $(MVN) $(MVN_FLAGS) package -DskipTests

# lists the sam build targets: each function's CodeUri folder and the module it builds
functions:
	@cd "$(ROOT)" && for f in sam/*/Makefile; do n=$${f#sam/}; n=$${n%/Makefile}; \
	  echo "build-$${n}Function  <- functions/$$(sed -n 's/^MODULE *:= *//p' $$f)  ($$f)"; done

# every function's zip, built once per source change, one builder at a time
zips:
	@mkdir -p "$(ROOT)/target"
	cd "$(ROOT)" && flock target/sam-build.lock sh -c '\
	  if [ -f $(STAMP) ] && [ -z "$$(find pom.xml shared functions -name target -prune -o -type f -newer $(STAMP) -print | head -1)" ]; \
	  then echo "function zips are current (no source newer than $(STAMP))"; \
	  else $(MVN) $(MVN_FLAGS) -pl $(MODULES) -am package -DskipTests && touch $(STAMP); fi'

build-%:
	@test -n "$(MODULE)" || { echo "build-$*: MODULE is not set; sam build runs it through the function's CodeUri, sam/<Name>/Makefile" >&2; exit 2; }
	@test -f "$(ROOT)/functions/$(MODULE)/pom.xml" || { echo "build-$*: functions/$(MODULE) is not a module" >&2; exit 2; }
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; }
	$(MAKE) --no-print-directory -f "$(ROOT)/Makefile" zips
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && if command -v unzip >/dev/null 2>&1; \
	  then unzip -q -o "$(ROOT)/functions/$(MODULE)/target/$(MODULE).zip"; \
	  else jar xf "$(ROOT)/functions/$(MODULE)/target/$(MODULE).zip"; fi
