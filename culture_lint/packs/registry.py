"""Find packs, resolve market names (aliases, did-you-mean) and `extends:` chains."""

from __future__ import annotations

from pathlib import Path

from ..errors import MarketError, PackError, PackErrors
from ..i18n import _
from ..util.resources import rules_dir
from .loader import load_pack, read_pack_text
from .model import Pack, Rule

PLATFORMS_DIR = "platforms"  # platform packs live in <rules folder>/platforms/<platform>/


class Registry:
    """All known packs, loaded lazily from the bundled rules folder plus extra folders."""

    def __init__(self, extra_dirs: list[Path] | None = None, bundled: bool = True):
        self.dirs: list[Path] = ([rules_dir()] if bundled else []) + [Path(d) for d in extra_dirs or []]
        self._folders: dict[str, Path] = {}
        self._platforms: dict[str, Path] = {}  # platform packs (rules/platforms/<id>/), apart from markets
        for base in self.dirs:
            if not base.is_dir():
                raise PackError(_("rule pack folder does not exist"), str(base))
            if (base / "pack.yaml").is_file():  # a single pack folder
                (self._platforms if base.parent.name == PLATFORMS_DIR else self._folders)[base.name] = base
                continue
            if base.name == PLATFORMS_DIR:  # the platforms folder itself
                self._platforms.update((p.name, p) for p in sorted(base.iterdir()) if (p / "pack.yaml").is_file())
                continue
            for folder in sorted(p for p in base.iterdir() if (p / "pack.yaml").is_file()):
                self._folders[folder.name] = folder  # later folders override bundled packs
            if (base / PLATFORMS_DIR).is_dir():
                for folder in sorted(p for p in (base / PLATFORMS_DIR).iterdir() if (p / "pack.yaml").is_file()):
                    self._platforms[folder.name] = folder
        self._packs: dict[str, Pack] = {}
        self._aliases: dict[str, str] | None = None
        self._concepts: dict | None = None
        self.warnings: list[PackError] = []

    def concepts(self) -> dict:
        """The concept lexicons of every rule folder, merged by name (packs/concepts.py); raises PackErrors."""
        if self._concepts is None:
            from ..cache import load_concepts_cached
            from .concepts import concept_dirs

            concepts, errors = load_concepts_cached(concept_dirs(self.dirs))
            if errors:
                raise PackErrors(errors)
            self._concepts = concepts
        return self._concepts

    def check_concepts(self, packs: list[Pack]) -> list[PackError]:
        """Compositions that name a concept no lexicon defines (with the rule's location)."""
        from rapidfuzz import process

        from .concepts import compositions_of

        try:
            known = self.concepts()
        except PackErrors as exc:
            return list(exc.errors)
        errors = []
        for pack in packs:
            for rule in pack.rules:
                for role, comp in compositions_of(rule):
                    for item in comp.items:
                        if item in known:
                            continue
                        guess = process.extractOne(item, sorted(known), score_cutoff=70)
                        if guess:
                            msg = _("rule '{id}' uses unknown concept '{name}'; did you mean '{choice}'?").format(
                                id=rule.id, name=item, choice=guess[0])
                        else:
                            msg = _("rule '{id}' uses unknown concept '{name}'").format(id=rule.id, name=item)
                        errors.append(PackError(msg, rule.path, rule.line, 1))
        return errors

    @property
    def pack_ids(self) -> list[str]:
        return sorted(self._folders)

    @property
    def platform_ids(self) -> list[str]:
        return sorted(self._platforms)

    def folder(self, pack_id: str) -> Path:
        """The folder of a market, region or platform pack."""
        return self._folders.get(pack_id) or self._platforms[pack_id]

    def resolve_platform(self, name: str) -> str:
        """A platform pack id from a name as typed (case, spaces); unknown names get a did-you-mean."""
        key = str(name).strip().lower().replace(" ", "-").replace("_", "-")
        if key in self._platforms:
            return key
        from rapidfuzz import process

        guess = process.extractOne(key, self.platform_ids, score_cutoff=50) if key else None
        if guess:
            hint = _("did you mean '{choice}'?").format(choice=guess[0])
        else:
            hint = _("known platforms: {platforms}").format(platforms=", ".join(self.platform_ids) or "-")
        raise MarketError(_("unknown platform '{platform}'").format(platform=name), hint=hint)

    def platform_rules(self, platform: str, market: str) -> list[Rule]:
        """A platform pack's rules; those limited to some markets (``when: {markets: […]}``) are filtered by
        the market and the packs it extends (a rule for ``eu`` applies in ``de``)."""
        lineage = set(self.lineage(market))
        return [r for r in self.pack(platform).rules
                if not r.when.get("markets") or lineage & {str(m).lower() for m in r.when["markets"]}]

    def pack(self, pack_id: str) -> Pack:
        if pack_id not in self._packs:
            if pack_id not in self._folders and pack_id not in self._platforms:
                raise PackError(_("unknown pack '{pack}'").format(pack=pack_id))
            from ..cache import load_pack_cached  # parsed and validated once per pack content

            pack, warnings = load_pack_cached(self.folder(pack_id))
            self._packs[pack_id] = pack
            self.warnings.extend(warnings)
        return self._packs[pack_id]

    def load_all(self) -> list[Pack]:
        """Load every pack, checking ids are unique across packs; raises PackErrors with all problems."""
        errors: list[PackError] = []
        seen: dict[str, str] = {}
        packs = []
        for pid in self.pack_ids + [p for p in self.platform_ids if p not in self._folders]:
            try:
                pack, warnings = load_pack(self.folder(pid), seen)
            except PackErrors as exc:
                errors.extend(exc.errors)
                continue
            except PackError as exc:
                errors.append(exc)
                continue
            self._packs[pid] = pack
            self.warnings.extend(warnings)
            packs.append(pack)
        for pack in packs:
            if pack.id in self._platforms and pack.id not in self._folders:
                if pack.kind != "platform":
                    errors.append(PackError(_("a pack under '{folder}/' must have 'kind: platform'").format(
                        folder=PLATFORMS_DIR), str(Path(pack.path) / "pack.yaml"), 1, 1))
                for m in pack.markets:
                    if m not in self._folders:
                        errors.append(PackError(_("platform '{pack}' names unknown market '{market}'").format(
                            pack=pack.id, market=m), str(Path(pack.path) / "pack.yaml"), 1, 1))
                continue
            for parent in pack.extends:
                if parent not in self._folders:
                    errors.append(PackError(_("pack '{pack}' extends unknown pack '{parent}'").format(
                        pack=pack.id, parent=parent), str(Path(pack.path) / "pack.yaml"), 1, 1))
        if not errors:
            for pack in packs:
                if pack.id not in self._folders:
                    continue  # platform packs have no lineage
                try:
                    self.lineage(pack.id)
                except PackError as exc:
                    errors.append(exc)
            errors.extend(self.check_concepts(packs))
        if errors:
            raise PackErrors(errors)
        return packs

    def aliases(self) -> dict[str, str]:
        """Alias → pack id, read from every pack.yaml (cheap: only the header keys are needed)."""
        if self._aliases is None:
            self._aliases = {}
            from ..util.yamlio import load_yaml

            for pid in self.pack_ids:
                path = self._folders[pid] / "pack.yaml"
                try:
                    text = read_pack_text(path)  # bounded, regular files only: packs are untrusted
                except PackErrors:
                    continue  # reported when the pack itself is loaded
                header = load_yaml(text, str(path), PackError)
                for alias in (header or {}).get("aliases") or [] if isinstance(header, dict) else []:
                    self._aliases[str(alias).lower()] = pid
        return self._aliases

    def resolve_market(self, name: str) -> str:
        key = name.strip().lower()
        if key in self._folders:
            return key
        if key in self.aliases():
            return self.aliases()[key]
        from rapidfuzz import process

        choices = self.pack_ids + sorted(self.aliases())
        guess = process.extractOne(key, choices, score_cutoff=50) if key else None
        if guess:
            hint = _("did you mean '{choice}'?").format(choice=guess[0])
        else:
            hint = _("known markets: {markets}").format(markets=", ".join(self.pack_ids))
        raise MarketError(_("unknown market '{market}'").format(market=name), hint=hint)

    def lineage(self, pack_id: str) -> list[str]:
        """The pack and all its ancestors, nearest first, ending with global."""
        order: list[str] = []

        def visit(pid: str, path: tuple[str, ...]) -> None:
            if pid in path:
                cycle = " → ".join(path + (pid,))
                raise PackError(_("'extends' cycle: {cycle}").format(cycle=cycle),
                                str(Path(self._folders[pid]) / "pack.yaml"), 1, 1)
            if pid in order:
                return
            order.append(pid)
            pack = self.pack(pid)
            parents = list(pack.extends)
            if pid != "global" and "global" not in parents and "global" in self._folders:
                parents.append("global")
            for parent in parents:
                if parent not in self._folders:
                    raise PackError(_("pack '{pack}' extends unknown pack '{parent}'").format(
                        pack=pid, parent=parent), str(Path(self._folders[pid]) / "pack.yaml"), 1, 1)
                visit(parent, path + (pid,))

        visit(pack_id, ())
        if "global" in order:  # global always last
            order.remove("global")
            order.append("global")
        return order

    def market_rules(self, market: str) -> list[Rule]:
        rules: list[Rule] = []
        for pid in self.lineage(market):
            rules.extend(self.pack(pid).rules)
        return rules
