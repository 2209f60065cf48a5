# desist: `make run` runs the main job, `make test` runs every test.
# Both install whatever is missing first (Debian packages, Python test tools).
BUILD   ?= build
JOBS    ?= $(shell nproc)
CMAKE_FLAGS ?=
# The Python module is built with the test environment's Python and pybind11
# (.venv, made by `make python-deps`) whenever it exists.
VENV_PYTHON := $(CURDIR)/.venv/bin/python
PYTHON_FLAGS = $(shell [ -x $(VENV_PYTHON) ] && d=$$($(VENV_PYTHON) -m pybind11 --cmakedir 2>/dev/null) && \
    echo -DPython_EXECUTABLE=$(VENV_PYTHON) -Dpybind11_DIR=$$d)

.PHONY: all run test bench build deps python-deps configure clean

all: build

deps:
	@scripts/install-deps

python-deps:
	@scripts/install-deps --python

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(PYTHON_FLAGS) $(CMAKE_FLAGS)

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

# The benchmark suite (benchmarks/RESULTS.md): each benchmark of desist_bench in
# its own process, JSON under results/bench/, and a table against the targets.
bench: build
	python3 benchmarks/run_benchmarks.py --build $(BUILD)

test: python-deps configure
	cmake -S . -B $(BUILD) $(PYTHON_FLAGS) -DDESIST_BUILD_PYTHON=ON
	cmake --build $(BUILD) -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) results
