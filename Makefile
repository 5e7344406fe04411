# resnet-course — `make help` lists the targets.
# Every target bootstraps .venv (Python 3.11/3.12) with the package and its course extra.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# CIFAR-10 source: the official archive, its extracted folder, or an image folder / .tar.gz.
# Empty: $$CIFAR10_SOURCE, else Keras's download into ~/.keras/datasets.
DATA   ?=
# Extra notebook parameters for `make run`, papermill style: PARAMS="-p EPOCHS 8 -p WIDTH 48"
PARAMS ?=
# Name of the run folder under runs/ (default: date-time).
RUN    ?= $(shell date +%Y%m%d-%H%M%S)
# RESUME=1 with RUN=name: continue that interrupted run (finished lessons are kept).
RESUME ?=
# Extra pytest arguments for `make test`, e.g. ARGS="-k data -x".
ARGS   ?=
# Which edition of the lessons `make run` and `make lab` use: en (notebooks/) or zh
# (notebooks/zh/, 中文版). Not called LANG: that is the locale variable most shells set.
EDITION ?= en
LESSONS := notebooks$(if $(filter zh,$(EDITION)),/zh)

ifneq ($(strip $(DATA)),)
export CIFAR10_SOURCE := $(abspath $(DATA))
endif
export TF_CPP_MIN_LOG_LEVEL ?= 2

.PHONY: help install lock run smoke test lab site strip clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
	@echo "  variables: DATA=path/to/cifar10  PARAMS=\"-p EPOCHS 5\"  RUN=name  RESUME=1  ARGS=pytest-args  EDITION=zh"

$(STAMP): pyproject.toml constraints.txt scripts/install_kernel.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[course]"
	$(PY) scripts/install_kernel.py >/dev/null
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the package with the course extra, at the pinned versions (constraints.txt)

lock: $(STAMP)  ## after an upgrade that passes make test: pin the environment's versions in constraints.txt
	@{ sed -n '1,/^# Regenerate/p' constraints.txt; $(PY) -m pip freeze --exclude-editable; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt

run: $(STAMP)  ## the main job: execute every lesson (training on CIFAR-10) into runs/$(RUN)
	$(PY) scripts/run_course.py --notebooks $(LESSONS) --out runs/$(RUN) $(if $(RESUME),--resume) $(PARAMS)

smoke: $(STAMP)  ## both editions in smoke mode (tiny data, one short epoch) into runs/smoke-$(RUN)[-zh]
	$(PY) scripts/run_course.py --smoke --out runs/smoke-$(RUN) $(PARAMS)
	$(PY) scripts/run_course.py --smoke --notebooks notebooks/zh --out runs/smoke-$(RUN)-zh $(PARAMS)

# The English lessons run in smoke mode through papermill (the run-course test) and through the
# real JupyterLab in Chromium (tests/test_jupyterlab.py); the Chinese lessons, whose code is the
# same, through papermill (tests/test_zh_course_run.py) and under nbval, and the exercise
# solutions under nbval. The two pytest runs go side by side: much of
# each is single-threaded (kernels starting, graphs tracing, Sphinx, the browser), so together
# they use the two cores better; the nbval log follows the other, and either failing fails.
ZH_RUN := tests/test_zh_course_run.py
test: $(STAMP)  ## unit tests and every lesson (papermill, JupyterLab; zh: papermill, nbval) and solution in smoke mode
	@RESNET_SMOKE=1 $(PY) -m pytest notebooks/zh solutions $(ZH_RUN) --nbval-lax -ra \
	  -p no:cacheprovider $(ARGS) > $(VENV)/nbval.log 2>&1 & nbval=$$!; \
	RESNET_SMOKE=1 $(PY) -m pytest tests --ignore=$(ZH_RUN) -ra $(ARGS); unit=$$?; \
	wait $$nbval; notebooks=$$?; echo "--- notebooks/zh (nbval, papermill) and solutions ---"; \
	cat $(VENV)/nbval.log; test $$unit = 0 && test $$notebooks = 0

lab: $(STAMP)  ## open the lessons in JupyterLab
	$(VENV)/bin/jupyter lab $(LESSONS)/

site: $(STAMP)  ## the course as a website, English and Chinese (zh/), from a finished run (RUN=runs/NAME; default: newest full run)
	$(PY) scripts/build_site.py $(if $(filter command line environment,$(origin RUN)),--run $(RUN)) $(if $(RUN_ZH),--run-zh $(RUN_ZH))

strip: $(STAMP)  ## remove outputs from the lesson and solution notebooks before committing
	$(PY) -m jupyter nbconvert --clear-output --inplace notebooks/*.ipynb notebooks/zh/*.ipynb solutions/*.ipynb \
	  solutions/zh/*.ipynb

clean:  ## remove caches and smoke runs (keeps .venv and your runs/)
	rm -rf .pytest_cache runs/smoke runs/smoke-* site/_build resnet_helpers/__pycache__ tests/__pycache__ *.egg-info
