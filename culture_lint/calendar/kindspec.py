"""Validation hooks the pack loader calls: the `calendar`/`localization` rule kinds' settings, the calendar
keys of `when:` and a pack's `calendar:` block. Light on purpose (no holidays/babel imports)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Callable

CALENDAR_CHECKS = ("festival-date", "missed-festival")
LOCALIZATION_CHECKS = ("show-time", "currency", "currency-sign", "date-format", "units", "sizes")
KIND_PARAMS = {
    "calendar": {"check", "festivals", "window_days"},
    "localization": {"check", "accept"},
}
WHEN_KEYS = ("periods", "outside_periods", "near_days", "local_time")

# festival ids the pack being loaded defines in its own pack.yaml (`calendar.festivals`)
_PACK_PERIODS: ContextVar[frozenset] = ContextVar("culture_lint_pack_periods", default=frozenset())

Report = Callable[[str, Any], None]
WhereOf = Callable[[Any, Any], Any]


def pack_calendar(meta: dict, pack_id: str, report: Report, where_of: WhereOf) -> None:
    """Validate pack.yaml's `calendar:` (if any) and remember the festival ids it defines."""
    value = meta.get("calendar")
    own: set[str] = set()
    if value is not None:
        from .festivals import check_pack_calendar

        check_pack_calendar(value, pack_id, report, lambda c, k: where_of(c if c is not None else meta,
                                                                          k if c is not None else "calendar"))
        if isinstance(value, dict) and isinstance(value.get("festivals"), list):
            own = {f["id"] for f in value["festivals"] if isinstance(f, dict) and isinstance(f.get("id"), str)}
    _PACK_PERIODS.set(frozenset(own))


def check_when(value: dict, report: Report, where_of: WhereOf) -> None:
    if not any(k in value for k in WHEN_KEYS):
        return
    from .scope import check_when as _check

    _check(value, report, where_of, set(_PACK_PERIODS.get()))


def parse_params(kind: str, data: dict, report: Report, where_of: WhereOf) -> dict[str, Any]:
    """The settings of a `calendar` or `localization` rule, validated."""
    checks = CALENDAR_CHECKS if kind == "calendar" else LOCALIZATION_CHECKS
    check = data.get("check")
    if check not in checks:
        report(f"'check' must be one of {', '.join(checks)}", where_of(data, "check" if "check" in data else None))
    params: dict[str, Any] = {"check": check}
    if kind == "calendar":
        fests = data.get("festivals")
        if fests is not None:
            from .festivals import bundled, unknown_period

            known = set(bundled().festivals) | set(_PACK_PERIODS.get())
            if not isinstance(fests, list) or not fests or not all(isinstance(f, str) for f in fests):
                report("'festivals' must be a list of festival ids", where_of(data, "festivals"))
            else:
                for i, fid in enumerate(fests):
                    if fid not in known:
                        report(unknown_period(fid, known), where_of(fests, i))
                params["festivals"] = list(fests)
        if "window_days" in data:
            wd = data["window_days"]
            if not isinstance(wd, int) or isinstance(wd, bool) or not 0 <= wd <= 60:
                report("'window_days' must be a whole number from 0 to 60", where_of(data, "window_days"))
            else:
                params["window_days"] = wd
        if "window_days" in data and check != "missed-festival":
            report("'window_days' is for the missed-festival check", where_of(data, "window_days"))
    else:
        accept = data.get("accept")
        if accept is not None:
            if check != "currency" or not isinstance(accept, list) or not all(
                    isinstance(c, str) and len(c) == 3 and c.isalpha() and c.isupper() for c in accept):
                report("'accept' is for the currency check: a list of ISO 4217 codes (USD, EUR)",
                       where_of(data, "accept"))
            else:
                params["accept"] = list(accept)
    return params
