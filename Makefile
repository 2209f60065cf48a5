# desist: `make run` runs the main job, `make test` runs every test.
# Both install whatever is missing first (Debian packages, Python test tools).
BUILD   ?= build
JOBS    ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all run test build deps python-deps configure clean

all: build

deps:
	@scripts/install-deps

python-deps:
	@scripts/install-deps --python

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The main job: the England and Wales adult cohort of 2010/11 (scenarios/baseline.yaml)
# against every shipped commissioning option, with paired intervals.
REPLICATES ?= 4
run: build
	@mkdir -p results
	$(BUILD)/bin/desist compare scenarios/baseline.yaml scenarios/options/*.yaml --replicates $(REPLICATES) \
	    --out results/comparison.h5 --json results/comparison.json

test: python-deps configure
	cmake -S . -B $(BUILD)
	cmake --build $(BUILD) -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) results
