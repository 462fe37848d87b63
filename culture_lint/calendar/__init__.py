"""Calendars: festival and public-holiday periods per market, show-date scoping and `culture-lint calendar`.

Nothing here imports ``holidays``, ``hijridate``, ``lunardate`` or ``babel`` at import time: they load
only when a period is computed (a calendar-scoped rule runs, or the calendar command does).
"""
