"""Protocols and their immutable versions: install the built-ins, import, export, read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observe_app.domain.enums import ItemKind
from observe_app.domain.models import Protocol, ProtocolItem, ProtocolVersion
from observe_app.errors import BadInputError, NotFoundError
from observe_app.protocols import loader
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
    kind: ItemKind
    label: str
    description: str
    position: int
    levels: tuple[Level, ...] = ()
    codes: tuple[Code, ...] = ()
    period_seconds: int | None = None
    prompt_kind: str | None = None


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

    def items_of(self, *kinds: ItemKind) -> list[ItemView]:
        return [i for i in self.items if i.kind in kinds]


@dataclass(frozen=True)
class ImportResult:
    protocol: ProtocolSummary
    created_version: bool


def item_view(item: ProtocolItem) -> ItemView:
    cfg: dict[str, Any] = item.config or {}
    return ItemView(
        id=item.id, key=item.key, section=item.section, kind=ItemKind(item.kind),
        label=item.label, description=cfg.get("description", ""), position=item.position,
        levels=tuple(Level(lv["level"], lv["name"], lv["descriptor"])
                     for lv in sorted(cfg.get("levels", []), key=lambda lv: lv["level"])),
        codes=tuple(Code(c["key"], c["label"], c.get("group", "")) for c in cfg.get("codes", [])),
        period_seconds=cfg.get("period_seconds"), prompt_kind=cfg.get("prompt_kind"),
    )


def _summary(protocol: Protocol, version: ProtocolVersion, item_count: int) -> ProtocolSummary:
    doc = version.document
    return ProtocolSummary(protocol.id, protocol.slug, protocol.name, protocol.builtin,
                           version.id, version.number, item_count, doc.get("description", ""),
                           doc.get("license", ""), doc.get("source", ""))


def import_document(session: Session, document: dict[str, Any], *,
                    builtin: bool = False) -> ImportResult:
    """Store a validated document as a protocol, or as a new version if its content changed."""
    digest = loader.content_hash(document)
    protocol = session.scalar(select(Protocol).where(Protocol.slug == document["id"]))
    if protocol is None:
        protocol = Protocol(slug=document["id"], name=document["name"], builtin=builtin)
        session.add(protocol)
        session.flush()
    latest = session.scalar(select(ProtocolVersion)
                            .where(ProtocolVersion.protocol_id == protocol.id)
                            .order_by(ProtocolVersion.number.desc()).limit(1))
    if latest is not None and latest.content_hash == digest:
        return ImportResult(_summary(protocol, latest, len(latest.items)), False)
    number = (latest.number + 1) if latest else 1
    stored = dict(document, version=number)
    version = ProtocolVersion(protocol_id=protocol.id, number=number, document=stored,
                              content_hash=digest)
    session.add(version)
    session.flush()
    items = list(loader.flat_items(document))
    for flat in items:
        data = flat.data
        config = {k: v for k, v in data.items() if k not in ("key", "kind", "label")}
        session.add(ProtocolItem(version_id=version.id, key=data["key"], section=flat.section,
                                 kind=ItemKind(data["kind"]), label=data["label"],
                                 position=flat.position, config=config))
    protocol.name = document["name"]
    session.flush()
    return ImportResult(_summary(protocol, version, len(items)), True)


def import_file(session: Session, path: Path) -> ImportResult:
    return import_document(session, loader.load_file(path))


def install_builtins(session: Session) -> list[ImportResult]:
    """Make sure every built-in protocol is present in its current version; returns what was
    added or changed (nothing, on every start but the first after an update).

    Runs at every start, so a built-in already stored is recognised by its fingerprint, read
    with one plain query; only a new or changed file goes through full validation.
    """
    stored: dict[str, str] = dict(session.connection().exec_driver_sql(
        "SELECT p.slug, v.content_hash FROM protocols p "
        "JOIN protocol_versions v ON v.protocol_id = p.id ORDER BY v.number").all())
    results = []
    for path in loader.builtin_files():
        document = json.loads(path.read_text(encoding="utf-8"))
        if stored.get(document.get("id")) != loader.content_hash(document):
            results.append(import_document(session, loader.load_file(path), builtin=True))
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
