"""A Word package opened the way python-docx opens it, without building python-docx's objects.

python-docx (`docx.Document`) reads every part its relationships reach, parses the XML of the
part types it knows, and fails on a package it cannot make sense of; then its tree costs a Python
object per element walked. `open_package` retraces exactly those steps with plain lxml (same
parser options, so the same tree) and gives the body and title python-docx would. Wherever the
package is anything but plain (a step python-docx might take differently, or fail on), it
returns None and the caller opens the file with python-docx itself, so every outcome, reason
wording included, stays python-docx's.
"""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
from dataclasses import dataclass

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import PartFactory, XmlPart
from docx.oxml.ns import qn
from lxml import etree

#: The python-docx whose steps this module retraces; any other version is opened by python-docx.
RETRACED_VERSION = "1.2.0"
#: python-docx's parser options (docx.oxml.parser) without its element classes.
PLAIN_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)

_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PR_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES, _OVERRIDE, _DEFAULT = f"{_CT_NS}Types", f"{_CT_NS}Override", f"{_CT_NS}Default"
_RELATIONSHIPS, _RELATIONSHIP = f"{_PR_NS}Relationships", f"{_PR_NS}Relationship"
_W_DOCUMENT, _W_BODY = qn("w:document"), qn("w:body")
_CORE, _DC_TITLE = qn("cp:coreProperties"), qn("dc:title")
#: The title python-docx gives a package without core properties (CorePropertiesPart.default).
_DEFAULT_TITLE = "Word Document"


class _NotPlain(Exception):
    """A step python-docx might take otherwise: the package is left to python-docx."""


@dataclass(frozen=True)
class _Rel:
    rid: str
    reltype: str
    target: str
    external: bool


@dataclass(frozen=True)
class OpenedPackage:
    """What python-docx would give the reader: the main part's body and the core title."""

    body: etree._Element
    title: str


def _parsed_part_types() -> frozenset[str] | None:
    """Content types python-docx parses as XML when it loads them; None if it registers others."""
    if docx.__version__ != RETRACED_VERSION:
        return None
    if any(not issubclass(cls, XmlPart) for cls in PartFactory.part_type_for.values()):
        return None
    return frozenset(PartFactory.part_type_for)


_PARSED_TYPES = _parsed_part_types()


def _parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml, PLAIN_PARSER)


#: Digests of part XML known to parse. python-docx parses every part of a type it knows (styles,
#: numbering, settings, headers…) and fails on a broken one; only the main part and the core
#: properties are read here, the others just have to parse, and most files of a province share them
#: byte for byte (a template's styles.xml can be 350 KB: 4 ms to parse, 0.2 ms to hash).
_PARSES: dict[bytes, None] = {}


def _check_parses(xml: bytes) -> None:
    key = hashlib.blake2b(xml, digest_size=16).digest()
    if key not in _PARSES:
        _parse(xml)
        if len(_PARSES) >= 4096:
            _PARSES.clear()
        _PARSES[key] = None


def _rels(archive: zipfile.ZipFile, partname: str) -> list[_Rel]:
    """A part's relationships as python-docx reads them (none when it has no .rels member)."""
    base, name = posixpath.split(partname)
    try:
        xml = archive.read(posixpath.join(base, "_rels", name + ".rels")[1:])
    except KeyError:
        return []
    root = _parse(xml)
    if root.tag != _RELATIONSHIPS:
        raise _NotPlain
    rels = []
    for el in root.iterchildren(_RELATIONSHIP):
        rid, reltype, target = el.get("Id"), el.get("Type"), el.get("Target")
        if rid is None or reltype is None or target is None:
            raise _NotPlain
        rels.append(_Rel(rid, reltype, target, el.get("TargetMode", RTM.INTERNAL) == RTM.EXTERNAL))
    return rels


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str | None], dict[str, str | None]]:
    root = _parse(archive.read("[Content_Types].xml"))
    if root.tag != _TYPES:
        raise _NotPlain
    overrides: dict[str, str | None] = {}
    defaults: dict[str, str | None] = {}
    for el in root.iterchildren(_OVERRIDE):
        name = el.get("PartName")
        if name is None:
            raise _NotPlain
        overrides[name.lower()] = el.get("ContentType")
    for el in root.iterchildren(_DEFAULT):
        ext = el.get("Extension")
        if ext is None:
            raise _NotPlain
        defaults[ext.lower()] = el.get("ContentType")
    return overrides, defaults


@dataclass
class _Part:
    content_type: str | None
    #: the relationship type it was first reached by (python-docx picks the part class by it)
    reltype: str
    blob: bytes
    root: etree._Element | None = None


def _target(source: str, rel: _Rel) -> str:
    """The part name a relationship points at, as PackURI.from_rel_ref makes it."""
    base = posixpath.split(source)[0]
    name = posixpath.abspath(posixpath.join(base, rel.target))
    if not name.startswith("/"):
        raise _NotPlain
    return name


def _parts(archive: zipfile.ZipFile, package_rels: list[_Rel], keep: set[str]) -> dict[str, _Part]:
    """Every part the relationships reach, depth first, read and typed as python-docx does; the
    parts named in `keep` with their parsed XML, the others' only checked to parse."""
    overrides, defaults = _content_types(archive)
    parts: dict[str, _Part] = {}
    pending = [("/", iter(package_rels))]
    while pending:
        source, rels = pending[-1]
        rel = next(rels, None)
        if rel is None:
            pending.pop()
            continue
        if rel.external:
            continue
        name = _target(source, rel)
        if name in parts:
            continue
        part_rels = _rels(archive, name)
        blob = archive.read(name[1:])
        ext = posixpath.splitext(name)[1]
        ext = ext[1:] if ext.startswith(".") else ext
        if name.lower() in overrides:
            content_type = overrides[name.lower()]
        elif ext.lower() in defaults:
            content_type = defaults[ext.lower()]
        else:
            raise _NotPlain
        part = parts[name] = _Part(content_type, rel.reltype, blob)
        if rel.reltype != RT.IMAGE and content_type in _PARSED_TYPES:
            if name in keep:
                part.root = _parse(blob)
            else:
                _check_parses(blob)
        pending.append((name, iter(part_rels)))
    return parts


def _related(package_rels: list[_Rel], reltype: str) -> list[_Rel]:
    """The package's relationships of a type, as python-docx keeps them (by Id, the last one wins)."""
    by_id: dict[str, _Rel] = {}
    for rel in package_rels:
        by_id[rel.rid] = rel
    return [r for r in by_id.values() if r.reltype == reltype]


def _opened(archive: zipfile.ZipFile) -> OpenedPackage:
    package_rels = _rels(archive, "/")
    main = _related(package_rels, RT.OFFICE_DOCUMENT)
    if len(main) != 1 or main[0].external:
        raise _NotPlain
    core = _related(package_rels, RT.CORE_PROPERTIES)
    keep = {_target("/", r) for r in (*main, *core) if not r.external}
    parts = _parts(archive, package_rels, keep)
    document = parts[_target("/", main[0])]
    if document.content_type != CT.WML_DOCUMENT_MAIN or document.root is None:
        raise _NotPlain
    body = document.root.find(_W_BODY) if document.root.tag == _W_DOCUMENT else None
    if body is None:
        raise _NotPlain
    if not core:
        return OpenedPackage(body, _DEFAULT_TITLE)
    if len(core) > 1 or core[0].external:
        raise _NotPlain
    props = parts[_target("/", core[0])]
    if props.content_type != CT.OPC_CORE_PROPERTIES or props.root is None or props.root.tag != _CORE:
        raise _NotPlain
    title = next(props.root.iterchildren(_DC_TITLE), None)
    return OpenedPackage(body, "" if title is None else title.text or "")


def open_package(archive: zipfile.ZipFile) -> OpenedPackage | None:
    """The body and title python-docx would give; None where only python-docx can say (or fails)."""
    if _PARSED_TYPES is None:
        return None
    try:
        return _opened(archive)
    except Exception:  # any step python-docx might take otherwise, or fail on: it decides
        return None
