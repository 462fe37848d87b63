"""Structured show scripts (.yaml/.yml/.json): a ``show:`` block and a ``segments:`` list.

Each segment may have ``at`` (time from show start: seconds, "MM:SS" or "HH:MM:SS"), ``speaker``, ``say``,
``action`` and ``product``. Findings point at the line of the offending text in the file.
"""

from __future__ import annotations

import re

import yaml

from ..models import Document, Finding
from .align import aligned_segment
from .base import METADATA_KEYS, span_end

TEXT_FIELDS = ("say", "action", "product", "title", "caption", "overlay", "text")
_TIME = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)\s*$")


def parse_time(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = _TIME.match(str(value))
    if not m:
        return None
    return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))


def _scalar_nodes(node):
    """Yield (key, value node) for a mapping node."""
    for key_node, value_node in node.value:
        yield (key_node.value if isinstance(key_node, yaml.ScalarNode) else None), value_node  # {[a]: x}: no name


def _diag(doc: Document, message: str, line: int, col: int) -> None:
    doc.diagnostics.append(Finding(
        rule="core.input.structure", category="input", severity="warning", market="", message=message,
        line=line, column=col, end_line=line, end_column=span_end(doc, line, col)))


def read(doc: Document) -> Document:
    from ..util.yamlio import LocLoader

    source = doc.source
    loader = None
    try:
        loader = LocLoader(source)  # refuses control characters already
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # YAML also breaks lines at \r, NEL and U+2028: place the problem by character index instead
        line, col = doc.position(min(mark.index, len(source))) if mark else (1, 1)
        _diag(doc, f"cannot parse the script: {exc.problem or exc}", line, col)
        return doc
    except yaml.reader.ReaderError as exc:
        line, col = doc.position(max(0, min(exc.position, len(source))))
        _diag(doc, f"cannot parse the script: unacceptable character ({exc.reason})", line, col)
        return doc
    except yaml.YAMLError as exc:
        _diag(doc, f"cannot parse the script: {exc}", 1, 1)
        return doc
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(root, yaml.MappingNode):
        _diag(doc, "a structured script is a mapping with 'show:' and 'segments:'", 1, 1)
        return doc
    segments_node = None
    for key, value in _scalar_nodes(root):
        if key == "show" and isinstance(value, yaml.MappingNode):
            for mkey, mval in _scalar_nodes(value):
                if isinstance(mval, yaml.ScalarNode) and mkey in METADATA_KEYS + ("markets",):
                    doc.metadata[mkey] = _scalar(mval)
                    doc.metadata_lines[mkey] = doc.position(mval.start_mark.index)[0]
                    if mkey == "markets" and "market" not in doc.metadata:
                        doc.metadata["market"] = doc.metadata[mkey]
                elif isinstance(mval, yaml.SequenceNode) and mkey in ("markets", "market"):
                    doc.metadata["market"] = ",".join(str(_scalar(v)) for v in mval.value
                                                      if isinstance(v, yaml.ScalarNode))
                    doc.metadata_lines["market"] = doc.position(mval.start_mark.index)[0]
                elif isinstance(mval, yaml.ScalarNode) and mkey in TEXT_FIELDS:
                    _add(doc, mval, kind="title", start=None, speaker=None)
        elif key == "segments":
            segments_node = value
    if not isinstance(segments_node, yaml.SequenceNode):
        _diag(doc, "no 'segments:' list found", doc.position(root.start_mark.index)[0], 1)
        return doc
    doc.timed = False
    for item in segments_node.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        fields = dict(_scalar_nodes(item))
        at = parse_time(_scalar(fields["at"])) if isinstance(fields.get("at"), yaml.ScalarNode) else None
        if at is not None:
            doc.timed = True
        speaker = _scalar(fields["speaker"]) if isinstance(fields.get("speaker"), yaml.ScalarNode) else None
        for name in TEXT_FIELDS:
            node = fields.get(name)
            if isinstance(node, yaml.ScalarNode):
                _add(doc, node, kind="stage" if name == "action" else "speech", start=at,
                     speaker=str(speaker) if speaker is not None else None)
            elif isinstance(node, yaml.SequenceNode):
                for sub in node.value:
                    if isinstance(sub, yaml.ScalarNode):
                        _add(doc, sub, kind="speech", start=at, speaker=None)
    return doc


def _scalar(node: yaml.ScalarNode):
    from ..util.yamlio import LocLoader

    loader = LocLoader("")
    try:
        return loader.construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):  # a tag it cannot build (!!python/…, bad !!int)
        return node.value
    finally:
        loader.dispose()


def _add(doc: Document, node: yaml.ScalarNode, **kw) -> None:
    value = node.value
    if not isinstance(value, str):
        return
    seg = aligned_segment(value, doc.source, node.start_mark.index, node.end_mark.index,
                          index=len(doc.segments), **kw)
    if seg is not None:
        doc.segments.append(seg)
