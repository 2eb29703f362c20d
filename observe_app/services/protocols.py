"""Protocols and their immutable versions: install the built-ins, import, export, read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observe_app.domain.models import Protocol, ProtocolItem, ProtocolVersion
from observe_app.errors import BadInputError, BuiltinProtocolError, NotFoundError
from observe_app.protocols import ids, loader
from observe_app.storage.paths import database_of, refuse_own_file, safe_file_stem, write_private


@dataclass(frozen=True)
class Level:
    level: int
    name: str
    descriptor: str


@dataclass(frozen=True)
class Code:
    key: str
    label: str
    group: str


@dataclass(frozen=True)
class ItemView:
    id: str
    key: str
    section: str
    kind: str  # a registered capture kind (observe_app.kinds); ItemKind names the built-ins
    label: str
    description: str
    position: int
    levels: tuple[Level, ...] = ()
    codes: tuple[Code, ...] = ()
    period_seconds: int | None = None
    prompt_kind: str | None = None
    talk_types: tuple[Code, ...] = ()  # participation: the talk types, each with its key
    groups: tuple[str, ...] = ()  # participation: the school's groups of seats, if any


@dataclass(frozen=True)
class ProtocolSummary:
    id: str
    slug: str
    name: str
    builtin: bool
    latest_version_id: str
    latest_version: int
    item_count: int
    description: str
    license: str
    source: str
    retired: bool = False  # hidden from planning, kept for the cycles that used it


@dataclass(frozen=True)
class ProtocolVersionView:
    id: str
    protocol_id: str
    slug: str
    name: str
    number: int
    description: str
    license: str
    source: str
    items: tuple[ItemView, ...] = field(default=())

    @property
    def sections(self) -> list[tuple[str, list[ItemView]]]:
        grouped: dict[str, list[ItemView]] = {}
        for item in self.items:
            grouped.setdefault(item.section, []).append(item)
        return list(grouped.items())

    def items_of(self, *kinds: str) -> list[ItemView]:
        return [i for i in self.items if i.kind in kinds]


@dataclass(frozen=True)
class ImportResult:
    protocol: ProtocolSummary
    created_version: bool


def item_view(item: ProtocolItem) -> ItemView:
    cfg: dict[str, Any] = item.config or {}
    return ItemView(
        id=item.id, key=item.key, section=item.section, kind=item.kind,
        label=item.label, description=cfg.get("description", ""), position=item.position,
        levels=tuple(Level(lv["level"], lv["name"], lv["descriptor"])
                     for lv in sorted(cfg.get("levels", []), key=lambda lv: lv["level"])),
        codes=tuple(Code(c["key"], c["label"], c.get("group", "")) for c in cfg.get("codes", [])),
        period_seconds=cfg.get("period_seconds"), prompt_kind=cfg.get("prompt_kind"),
        talk_types=tuple(Code(t["key"], t["label"], "") for t in cfg.get("talk_types", [])),
        groups=tuple(cfg.get("groups", [])),
    )


def _summary(protocol: Protocol, version: ProtocolVersion, item_count: int) -> ProtocolSummary:
    doc = version.document
    return ProtocolSummary(protocol.id, protocol.slug, protocol.name, protocol.builtin,
                           version.id, version.number, item_count, doc.get("description", ""),
                           doc.get("license", ""), doc.get("source", ""),
                           protocol.retired_at is not None)


def import_document(session: Session, document: dict[str, Any], *, builtin: bool = False,
                    as_copy: bool = False, source: str = "") -> ImportResult:
    """Store a validated document as a protocol, or as a new version of the user's protocol
    with its id when its content changed.

    A built-in protocol is never changed by an import (the next start would put it back over
    the change): a file with a built-in's id is refused, unless it is the built-in unchanged,
    or `as_copy` asks for a protocol of its own beside it.
    """
    slug = document["id"]
    protocol = session.scalar(select(Protocol).where(Protocol.slug == slug))
    if builtin:
        if protocol is not None and not protocol.builtin:
            raise AssertionError(f"built-in {slug} would go over the user's protocol")
        return _store(session, protocol, document, builtin=True)
    reserved = protocol.builtin if protocol is not None else slug in _builtin_ids()
    taken_name = protocol.name if protocol is not None else _builtin_ids().get(slug, "")
    if as_copy and (protocol is not None or reserved):
        return _import_copy(session, document, taken_name)
    if reserved:
        latest = _latest(session, protocol) if protocol is not None else None
        if protocol is not None and latest is not None \
                and latest.content_hash == loader.content_hash(document):
            return ImportResult(_summary(protocol, latest, len(latest.items)), False)
        where = f"{source}: " if source else ""
        raise BuiltinProtocolError(
            f"{where}the id {slug!r} belongs to the built-in protocol {taken_name}, which "
            "cannot be changed, so nothing was imported; import the file as a copy to keep it "
            "as a protocol of your own")
    return _store(session, protocol, document, builtin=False)


def _latest(session: Session, protocol: Protocol) -> ProtocolVersion | None:
    return session.scalar(select(ProtocolVersion)
                          .where(ProtocolVersion.protocol_id == protocol.id)
                          .order_by(ProtocolVersion.number.desc()).limit(1))


def _store(session: Session, protocol: Protocol | None, document: dict[str, Any], *,
           builtin: bool) -> ImportResult:
    digest = loader.content_hash(document)
    if protocol is None:
        protocol = Protocol(slug=document["id"], name=document["name"], builtin=builtin)
        session.add(protocol)
        session.flush()
    latest = _latest(session, protocol)
    if latest is not None and latest.content_hash == digest:
        return ImportResult(_summary(protocol, latest, len(latest.items)), False)
    number = (latest.number + 1) if latest else 1
    stored = dict(document, version=number)
    vid = ids.version_id(digest)
    if session.get(ProtocolVersion, vid) is not None:  # this content again, after an edit
        vid = ids.version_id(digest, number)
    version = ProtocolVersion(id=vid, protocol_id=protocol.id, number=number, document=stored,
                              content_hash=digest)
    session.add(version)
    session.flush()
    items = list(loader.flat_items(document))
    session.add_all(
        ProtocolItem(id=ids.item_id(version.id, flat.data["key"]), version_id=version.id,
                     key=flat.data["key"], section=flat.section,
                     kind=flat.data["kind"], label=flat.data["label"],
                     position=flat.position,
                     config={k: v for k, v in flat.data.items()
                             if k not in ("key", "kind", "label")})
        for flat in items)
    protocol.name = document["name"]
    session.flush()
    return ImportResult(_summary(protocol, version, len(items)), True)


def _derived_slugs(base: str, suffix: str) -> Iterator[str]:
    """`base-suffix`, `base-suffix-2`, … each within the 64 characters an id may have."""
    for n in range(1, 10_000):
        tail = f"-{suffix}" if n == 1 else f"-{suffix}-{n}"
        yield base[:64 - len(tail)].rstrip("-") + tail


def _import_copy(session: Session, document: dict[str, Any], taken_name: str) -> ImportResult:
    """The file as a protocol of its own: a new id made from the file's, and its own name, or
    the name with ' (copy)' when it is the one already in use. Importing the same file as a
    copy again finds that copy unchanged rather than making another."""
    name = document["name"]
    if name == taken_name:
        name = name[:200 - len(" (copy)")] + " (copy)"
    for slug in _derived_slugs(document["id"], "copy"):
        copy = dict(document, id=slug, name=name)
        existing = session.scalar(select(Protocol).where(Protocol.slug == slug))
        if existing is None:
            return _store(session, None, copy, builtin=False)
        latest = _latest(session, existing)
        if (not existing.builtin and latest is not None
                and latest.content_hash == loader.content_hash(copy)):
            return ImportResult(_summary(existing, latest, len(latest.items)), False)
    raise BadInputError(f"there are already too many copies of {document['id']}; rename the "
                        "file's id and import it again")


@cache
def _builtin_ids() -> dict[str, str]:
    """The ids of the built-in protocol files and their names."""
    ids = {}
    for path in loader.builtin_files():
        document = json.loads(path.read_text(encoding="utf-8"))
        ids[document["id"]] = document["name"]
    return ids


def import_file(session: Session, path: Path, *, as_copy: bool = False) -> ImportResult:
    return import_document(session, loader.load_file(path), as_copy=as_copy, source=path.name)


def install_builtins(session: Session) -> list[ImportResult]:
    """Make sure every built-in protocol is present in its current version; returns what was
    added or changed (nothing, on every start but the first after an update).

    Runs at every start, so a built-in already stored is recognised by its fingerprint, read
    with one plain query; only a new or changed file goes through full validation. A built-in
    never goes over a protocol of the user's: should a user's protocol hold the id a new
    built-in comes with, the built-in is installed beside it under `<id>-built-in`.
    """
    builtin_of: dict[str, bool] = {}
    hashes: dict[str, set[str]] = {}
    for slug, is_builtin, digest in session.connection().exec_driver_sql(
            "SELECT p.slug, p.builtin, v.content_hash FROM protocols p "
            "JOIN protocol_versions v ON v.protocol_id = p.id"):
        builtin_of[slug] = bool(is_builtin)
        hashes.setdefault(slug, set()).add(digest)
    results = []
    for path in loader.builtin_files():
        document = json.loads(path.read_text(encoding="utf-8"))
        slug = document.get("id")
        if builtin_of.get(slug) is False:
            slug = next(s for s in _derived_slugs(slug, "built-in")
                        if builtin_of.get(s) is not False)
            document = dict(document, id=slug)
        if loader.content_hash(document) not in hashes.get(slug, set()):
            checked = dict(loader.load_file(path), id=slug)
            results.append(import_document(session, checked, builtin=True))
    return results


def list_protocols(session: Session) -> list[ProtocolSummary]:
    latest = (select(ProtocolVersion.protocol_id, func.max(ProtocolVersion.number).label("n"))
              .group_by(ProtocolVersion.protocol_id).subquery())
    counts = (select(ProtocolItem.version_id, func.count().label("c"))
              .group_by(ProtocolItem.version_id).subquery())
    rows = session.execute(
        select(Protocol, ProtocolVersion, func.coalesce(counts.c.c, 0))
        .join(latest, latest.c.protocol_id == Protocol.id)
        .join(ProtocolVersion, (ProtocolVersion.protocol_id == Protocol.id)
              & (ProtocolVersion.number == latest.c.n))
        .outerjoin(counts, counts.c.version_id == ProtocolVersion.id)
        .order_by(Protocol.builtin.desc(), func.lower(Protocol.name)))
    return [_summary(p, v, c) for p, v, c in rows]


def find_protocol(session: Session, ref: str) -> ProtocolSummary:
    """A protocol by its id or its slug (e.g. `peer-observation`)."""
    for summary in list_protocols(session):
        if ref in (summary.id, summary.slug):
            return summary
    raise NotFoundError(f"no protocol {ref!r}; `observe-app protocols list` shows them")


def get_version(session: Session, version_id: str) -> ProtocolVersionView:
    version = session.get(ProtocolVersion, version_id)
    if version is None:
        raise NotFoundError(f"no protocol version with id {version_id!r}")
    doc = version.document
    return ProtocolVersionView(
        id=version.id, protocol_id=version.protocol_id, slug=version.protocol.slug,
        name=doc["name"], number=version.number, description=doc.get("description", ""),
        license=doc.get("license", ""), source=doc.get("source", ""),
        items=tuple(item_view(i) for i in version.items))


def export_document(session: Session, ref: str) -> dict[str, Any]:
    summary = find_protocol(session, ref)
    version = session.get(ProtocolVersion, summary.latest_version_id)
    assert version is not None
    return dict(version.document)


def export_file(session: Session, ref: str, path: Path) -> Path:
    """Write the latest version of a protocol as a JSON file another Observe can import
    (owner-only, like every file Observe writes)."""
    document = export_document(session, ref)
    if path.is_dir():
        path = path / f"{safe_file_stem(str(document['id'])) or 'protocol'}.json"
    refuse_own_file(database_of(session), path, "protocol")
    if not path.parent.is_dir():
        raise BadInputError(f"folder {path.parent} does not exist; create it or choose another")
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        write_private(path, text.encode("utf-8"))
    except OSError as exc:
        raise BadInputError(f"cannot write {path} ({exc.strerror})") from None
    return path
