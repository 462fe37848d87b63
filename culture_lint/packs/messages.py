"""Rule messages: their ``{placeholders}`` checked against what the rule's kind fills, and previews for
`rules show` / `rules list` (no literal ``{problem}`` on screen).

Braces in a rule pack mean three things, told apart by where they stand (docs/rule-packs.md, "Braces"):
a placeholder in ``message`` (``{text}``; ``{{`` and ``}}`` are literal braces), a YAML flow mapping
(``{exact: phrase}``) and a gap in a phrase or composition (``effect {0,3} condition``).
"""

from __future__ import annotations

from string import Formatter
from typing import TYPE_CHECKING

from ..i18n import _, pick
from ..util.yamlio import loc_of

if TYPE_CHECKING:
    from ..kinds.base import Kind
    from ..util.yamlio import LocDict
    from .model import Rule
    from .schema import Collector


def fields(template: str) -> list[str]:
    """The placeholder names of a message template, in order (``{count:d}`` → ``count``).

    Raises ValueError for an unmatched brace (a literal brace is written ``{{`` or ``}}``).
    """
    out = []
    for _literal, name, _spec, _conversion in Formatter().parse(template):
        if name is not None:
            out.append(name.split(".", 1)[0].split("[", 1)[0])
    return out


def message_problems(template: str, allowed: dict[str, str]) -> list[str]:
    """What is wrong with one message text: unmatched braces, positional or unknown placeholders."""
    try:
        names = fields(template)
    except ValueError:
        # TRANSLATORS: {{ and }} are literal: a rule message writes a brace twice to show it once
        return [_("unmatched brace in the message; write {{ or }} for a literal brace")]
    problems = []
    for name in names:
        if name in allowed:
            continue
        if name == "" or name.isdigit():
            problems.append(_("the message has a positional placeholder {{}}; name it: {names}").format(
                names=_names(allowed)))
            continue
        from rapidfuzz import process

        guess = process.extractOne(name, sorted(allowed), score_cutoff=60)
        if guess:
            problems.append(_("unknown placeholder '{{{name}}}' in the message; did you mean '{{{choice}}}'? "
                              "(this kind fills {names})").format(name=name, choice=guess[0], names=_names(allowed)))
        else:
            problems.append(_("unknown placeholder '{{{name}}}' in the message (this kind fills {names})").format(
                name=name, names=_names(allowed)))
    return problems


def _names(allowed: dict[str, str]) -> str:
    return ", ".join("{" + n + "}" for n in sorted(allowed)) or _("no placeholders")


def check_message(col: Collector, data: LocDict, rule: Rule, kind: Kind) -> None:
    """Report every message text whose placeholders the kind does not fill (``{minuts}`` for ``{minutes}``)."""
    if not rule.message or "message" not in data:
        return
    allowed = kind.placeholders(rule)
    where = data["message"]
    for lang, template in rule.message.items():
        for problem in message_problems(template, allowed):
            loc = loc_of(where, lang) if isinstance(where, dict) else loc_of(data, "message")
            col.error(problem, loc)


def preview_message(rule: Rule, lang: str | None = None) -> str:
    """The rule's message with each placeholder shown as what it holds: ``{text}`` → ``…``,
    ``{problem}`` → ``‹what is wrong, as a sentence›``."""
    from ..kinds import KINDS

    template = pick(rule.message, lang)
    kind = KINDS.get(rule.kind)
    allowed = kind.placeholders(rule) if kind is not None else {}
    out = []
    try:
        parsed = list(Formatter().parse(template))
    except ValueError:
        return template
    for literal, name, _spec, _conversion in parsed:
        out.append(literal)
        if name is None:
            continue
        base = name.split(".", 1)[0].split("[", 1)[0]
        if base == "text":
            out.append("…")
        else:
            out.append("‹" + allowed.get(base, base) + "›")
    return "".join(out)
