# culture-lint developer tasks. Run from the repository root.

PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python3)

.PHONY: i18n i18n-extract i18n-update i18n-compile i18n-check

## Interface translations (docs/translating.md)

# extract + update + compile: code -> locales/culture_lint.pot -> zh_CN .po (translations kept) -> .mo
i18n:
	$(PYTHON) scripts/i18n.py all

i18n-extract:
	$(PYTHON) scripts/i18n.py extract

i18n-update:
	$(PYTHON) scripts/i18n.py update

i18n-compile:
	$(PYTHON) scripts/i18n.py compile

# exit 1 if a msgid lacks a zh_CN translation, a translation is fuzzy, or a catalog is stale
i18n-check:
	$(PYTHON) scripts/i18n.py check
