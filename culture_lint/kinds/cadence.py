"""``cadence``: interaction design over show time — opening hook, prompt gaps, closing call, boilerplate."""

from __future__ import annotations

from ..i18n import _
from .base import Hit, Kind, Role

CHECKS = ("hook", "prompt-gap", "closing", "boilerplate")
NUMBERS = ("within_seconds", "max_gap_seconds", "similarity", "max_repeats")
MAX_STOCK_LINE = 500  # characters: longer texts are not stock lines (and fuzzy comparison costs length²)
MAX_FUZZY_LINES = 5000  # above this many candidate lines only exact repeats are counted (pairs are quadratic)


def _times(prep, matches) -> list[float]:
    segs = prep.doc.segments
    return sorted({segs[prep.token_segment[m.start]].start or 0.0 for m in matches})


class Cadence(Kind):
    """Interaction over show time: ``check`` is one of hook, prompt-gap, closing, boilerplate."""

    name = "cadence"
    keys = frozenset({"check", "patterns", *NUMBERS, "exceptions", "negation"})
    checks = CHECKS
    roles = (Role.PATTERN, Role.EXCEPTION)
    summary = "interaction design over show time: opening hook, prompt gaps, closing call, boilerplate"

    def parse(self, rule, data, col) -> None:
        from ..packs.schema import parse_patterns, positive_number
        from ..util.yamlio import loc_of

        check = data.get("check")
        if check not in CHECKS:
            col.error(_("'check' must be one of {checks}").format(checks=", ".join(CHECKS)),
                      loc_of(data, "check") if "check" in data else data.loc)
        rule.patterns = parse_patterns(col, data.get("patterns"), data, "patterns")
        if check != "boilerplate" and not rule.patterns:
            col.error(_("a cadence '{check}' rule needs 'patterns' (what counts as a hook, prompt or call)").format(
                check=check), data.loc)
        for name in NUMBERS:
            positive_number(col, data, name)
        rule.params = {k: data[k] for k in ("check", *NUMBERS) if k in data}

    def placeholders(self, rule) -> dict[str, str]:
        out = dict(super().placeholders(rule))
        check = rule.params.get("check")
        if check in ("hook", "closing"):
            out["seconds"] = _("the time limit in seconds")
            out["minutes"] = _("the time limit in minutes")
        elif check == "prompt-gap":
            out["gap"] = _("the gap found, in minutes")
            out["minutes"] = _("the longest gap allowed, in minutes")
        elif check == "boilerplate":
            out["count"] = _("how many times the line was repeated")
            out["max"] = _("the most repeats allowed")
        return out

    def check(self, rule, key, prep, disclaimers) -> list[Hit]:
        doc = prep.doc
        params = rule.params
        check = params.get("check")
        if check == "boilerplate":
            return self._boilerplate(rule, key, prep)
        if not doc.timed or not doc.segments:
            return []
        segs = doc.segments
        found = self.matches(prep, key, Role.PATTERN)
        show_end = max((s.end if s.end is not None else (s.start or 0.0)) for s in segs)
        if check == "hook":
            limit = float(params.get("within_seconds", 180))
            if any(t < limit for t in _times(prep, found)):
                return []
            return [self._at_segment(doc, segs[0], seconds=int(limit), minutes=round(limit / 60, 1))]
        if check == "closing":
            window = float(params.get("within_seconds", 120))
            if any(t >= show_end - window for t in _times(prep, found)):
                return []
            return [self._at_segment(doc, segs[-1], seconds=int(window), minutes=round(window / 60, 1))]
        if check == "prompt-gap":
            gap = float(params.get("max_gap_seconds", 300))
            times = [0.0] + _times(prep, found) + [show_end]
            hits = []
            for a, b in zip(times, times[1:]):
                if b - a > gap:
                    seg = next((s for s in segs if (s.start or 0.0) > a + gap), segs[-1])
                    hits.append(self._at_segment(doc, seg, gap=round((b - a) / 60, 1),
                                                 minutes=round(gap / 60, 1)))
            return hits
        return []

    def _boilerplate(self, rule, key, prep) -> list[Hit]:
        """The same stock line again and again, or bare like-and-comment prompts repeated."""
        from rapidfuzz import fuzz

        params = rule.params
        similarity = float(params.get("similarity", 90))
        max_repeats = int(params.get("max_repeats", 2))
        doc = prep.doc
        hits: list[Hit] = []
        # repeated stock lines (near-duplicates over segments)
        # a stock line is short: longer texts are not compared (fuzz.ratio costs length², a 5 MB line took minutes)
        texts = [" ".join(s.text.split()).lower() if len(s.text) <= 4 * MAX_STOCK_LINE else "" for s in doc.segments]
        lines = [i for i, t in enumerate(texts) if 12 <= len(t) <= MAX_STOCK_LINE]
        counted: set[int] = set()
        from rapidfuzz import process

        if len(lines) > MAX_FUZZY_LINES:  # comparing every pair is quadratic: count exact repeats only
            exact: dict[str, list[int]] = {}
            for i in lines:
                exact.setdefault(texts[i], []).append(i)
            groups = sorted(g for g in exact.values() if len(g) > max_repeats)
        else:
            groups = []
            candidates = [texts[j] for j in lines]
            for n, i in enumerate(lines):
                if i in counted:
                    continue
                # fuzz.ratio against every later line, in one C call (a Python loop made this quadratic in Python)
                close = process.extract(texts[i], candidates[n:], scorer=fuzz.ratio, score_cutoff=similarity,
                                        limit=None)
                group = sorted(lines[n + k] for _, _, k in close if lines[n + k] not in counted)
                if len(group) > max_repeats:
                    counted.update(group)
                    groups.append(group)
            counted.clear()
        for group in groups:
            if len(group) > max_repeats:
                counted.update(group)
                seg = doc.segments[group[max_repeats]]
                hits.append(self._at_segment(doc, seg, count=len(group), max=max_repeats,
                                             text=seg.text.strip()))
        # bare prompts matched by the rule's patterns
        found = self.matches(prep, key, Role.PATTERN)
        if len(found) > max_repeats:
            m = found[max_repeats]
            hits.append(self.hit(prep, m, count=len(found), max=max_repeats))
        return hits

    @staticmethod
    def _at_segment(doc, seg, **values) -> Hit:
        text = seg.text.strip()
        start = seg.offsets[len(seg.text) - len(seg.text.lstrip())]
        end_index = len(seg.text.rstrip())
        end = seg.offsets[end_index - 1] + 1 if end_index else start
        first_line_end = doc.source.find("\n", start)
        if first_line_end != -1 and first_line_end < end:
            end = first_line_end
            if end > start and doc.source[end - 1] == "\r":
                end -= 1
        values.setdefault("text", doc.source[start:end] or text)
        return Hit(start, end, seg.index, "en", values)
