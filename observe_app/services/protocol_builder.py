"""The protocol builder's reads and writes: a protocol's editable document, saving a new protocol
or a new version of one, what a save would do to the cycles using it, and retiring."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observe_app.domain.models import Cycle, Protocol, ProtocolVersion
from observe_app.domain.types import utc_now
from observe_app.errors import BuiltinProtocolError, NotFoundError
from observe_app.protocols import loader, templates
from observe_app.services import protocols
from observe_app.services.protocols import (
    Code,
    ImportResult,
    ItemView,
    Level,
    ProtocolSummary,
    ProtocolVersionView,
)
from observe_app.services.responses import ObservationResults

SOURCE = "the protocol builder"  # how a refusal names what it refused


@dataclass(frozen=True)
class VersionUse:
    """What saving a change to a protocol does: its next version, and the cycles that keep
    the version they were planned with."""

    latest_version: int
    cycles_on_latest: int  # cycles planned with the latest version
    cycles_in_all: int  # cycles planned with any of its versions


def slug_of(name: str, taken: set[str]) -> str:
    """An id for a new protocol made from its name (letters without accents, digits, dashes),
    not one in `taken`; `protocol` when the name has none of those (a name in Thai, say)."""
    slug = templates.keyword(name, taken, "protocol")
    return slug if len(slug) >= 3 else templates.keyword(f"{slug} protocol", taken, "protocol")


def editable_document(session: Session, protocol_id: str) -> dict[str, Any]:
    """The latest version of a protocol as a document to edit (a copy: editing it changes
    nothing stored)."""
    protocol = _protocol(session, protocol_id)
    latest = protocols._latest(session, protocol)
    assert latest is not None  # a protocol is stored with its first version
    return copy.deepcopy(dict(latest.document))


def duplicate_document(session: Session, protocol_id: str) -> dict[str, Any]:
    """A protocol's latest version as the start of a new one: the same items, the name with
    "(copy)"; saved, it gets an id of its own."""
    document = editable_document(session, protocol_id)
    name = document["name"]
    document["name"] = name[:200 - len(" (copy)")] + " (copy)"
    document["version"] = 1
    document.pop("id", None)
    return document


def version_use(session: Session, protocol_id: str) -> VersionUse:
    protocol = _protocol(session, protocol_id)
    latest = protocols._latest(session, protocol)
    assert latest is not None
    on_latest = session.scalar(select(func.count()).select_from(Cycle)
                               .where(Cycle.protocol_version_id == latest.id)) or 0
    in_all = session.scalar(
        select(func.count()).select_from(Cycle).join(
            ProtocolVersion, ProtocolVersion.id == Cycle.protocol_version_id)
        .where(ProtocolVersion.protocol_id == protocol.id)) or 0
    return VersionUse(latest.number, on_latest, in_all)


def save_protocol(session: Session, document: dict[str, Any],
                  protocol_id: str | None = None) -> ImportResult:
    """Store what the builder made: a new protocol (`protocol_id` None), or a new version of
    the user's protocol when its content changed. Versions are never changed: the cycles
    planned with the latest one keep it. Built-in protocols are never changed (a duplicate is
    the way). Raises ProtocolFileError, in sentences, for a document that is not valid."""
    document = dict(document)
    if protocol_id is None:
        taken = set(session.scalars(select(Protocol.slug))) | set(protocols._builtin_ids())
        document["id"] = slug_of(str(document.get("name", "")), taken)
        document["version"] = 1
        checked = loader.validate_document(document, SOURCE)
        return protocols._store(session, None, checked, builtin=False)
    protocol = _protocol(session, protocol_id)
    if protocol.builtin:
        raise BuiltinProtocolError(
            f"{protocol.name} is a built-in protocol, which cannot be changed; duplicate it to "
            "make a protocol of your own from it")
    document["id"] = protocol.slug
    latest = protocols._latest(session, protocol)
    document["version"] = latest.number if latest is not None else 1
    checked = loader.validate_document(document, SOURCE)
    return protocols._store(session, protocol, checked, builtin=False)


def set_retired(session: Session, protocol_id: str, retired: bool) -> ProtocolSummary:
    """Hide a protocol from planning (its cycles keep it), or bring it back."""
    protocol = _protocol(session, protocol_id)
    if retired and protocol.retired_at is None:
        protocol.retired_at = utc_now()
    elif not retired:
        protocol.retired_at = None
    session.flush()
    return protocols.find_protocol(session, protocol.id)


def _protocol(session: Session, protocol_id: str) -> Protocol:
    protocol = session.get(Protocol, protocol_id)
    if protocol is None:
        raise NotFoundError(f"no protocol with id {protocol_id!r}; it may have been removed")
    return protocol


def preview(document: dict[str, Any]) -> tuple[ProtocolVersionView, ObservationResults]:
    """What the live view would show of a document being built: its items as a version with
    nothing recorded yet. Works on an unfinished document (fields missing or wrong are shown
    as blank); an item of a kind the app does not know is left out."""
    from observe_app import kinds

    known = set(kinds.names())
    views: list[ItemView] = []
    for section in _list(document.get("sections")):
        if not isinstance(section, dict):
            continue
        for item in _list(section.get("items")):
            if not isinstance(item, dict) or item.get("kind") not in known:
                continue
            levels = [lv for lv in _list(item.get("levels")) if isinstance(lv, dict)]
            codes = [c for c in _list(item.get("codes")) if isinstance(c, dict)]
            talk = [t for t in _list(item.get("talk_types")) if isinstance(t, dict)]
            period = item.get("period_seconds")
            views.append(ItemView(
                id=f"preview:{len(views)}", key=str(item.get("key", "")),
                section=str(section.get("title") or ""), kind=str(item["kind"]),
                label=str(item.get("label") or ""),
                description=str(item.get("description") or ""), position=len(views),
                levels=tuple(sorted((Level(lv["level"] if isinstance(lv.get("level"), int)
                                           else n, str(lv.get("name", "")),
                                           str(lv.get("descriptor", "")))
                                     for n, lv in enumerate(levels, start=1)),
                                    key=lambda lv: lv.level)),
                codes=tuple(Code(str(c.get("key", "")), str(c.get("label", "")),
                                 str(c.get("group", ""))) for c in codes),
                period_seconds=max(10, period) if isinstance(period, int) else None,
                prompt_kind=item.get("prompt_kind"),
                talk_types=tuple(Code(str(t.get("key", "")), str(t.get("label", "")), "")
                                 for t in talk),
                groups=tuple(str(g) for g in _list(item.get("groups")))))
    version = ProtocolVersionView(
        id="preview", protocol_id="", slug=str(document.get("id", "")),
        name=str(document.get("name") or ""), number=int(document.get("version") or 1)
        if isinstance(document.get("version"), int) else 1,
        description=str(document.get("description") or ""),
        license=str(document.get("license") or ""), source=str(document.get("source") or ""),
        items=tuple(views))
    return version, ObservationResults({}, {}, {}, {}, {})


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
