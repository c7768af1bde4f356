"""Entity resolution: one IRI per real-world entity, across articles.

Mentions were merged within an article by ``graph.extract``; here names from
different articles meet. Two names are one entity when they have the same type
and the same key: for organisations :func:`~graph.extract.mentions.org_key`
(legal forms and "Group" dropped: "Apple Inc." = "Apple"), for people the name
without middle initials, for products the name in lower case. An alias that
matches a known entity's key joins that entity too.

IRIs are derived from the key, so they do not depend on which article came
first: ``id/org/alibaba`` for "Alibaba Group", ``id/person/jack-ma``.

>>> r = Resolver()
>>> a = r.resolve("Alibaba Group", "Organization")
>>> b = r.resolve("Alibaba", "Organization")
>>> a.iri == b.iri, a.iri, a.label
(True, 'https://w3id.org/dealgraph/id/org/alibaba', 'Alibaba Group')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract.mentions import org_key
from graph.ns import ID
from graph.sources import slugify

__all__ = ["Entity", "Resolver", "entity_key", "entity_iri", "TYPE_SEGMENT"]

TYPE_SEGMENT = {"Person": "person", "Organization": "org", "Product": "product"}


@dataclass
class Entity:
    """A resolved entity: its IRI, the label to show, its type and the other names seen."""

    iri: str
    label: str
    type: str
    aliases: set[str] = field(default_factory=set)


def entity_key(name: str, type_: str) -> str:
    """The matching key of a name (see the module docstring).

    >>> entity_key("Timothy D. Cook", "Person"), entity_key("the Alibaba Group", "Organization")
    ('timothy cook', 'alibaba')
    """
    if type_ == "Organization":
        return org_key(name)
    if type_ == "Person":
        name = re.sub(r"\b[A-Z]\.\s*", "", name)
    return re.sub(r"[^\w]+", " ", name.lower()).strip()


def entity_iri(name: str, type_: str) -> str:
    """The IRI of an entity of that name and type.

    >>> entity_iri("Apple Inc.", "Organization")
    'https://w3id.org/dealgraph/id/org/apple'
    """
    if type_ not in TYPE_SEGMENT:
        raise ValueError(f"unknown entity type {type_!r}; expected one of {', '.join(TYPE_SEGMENT)}")
    return str(ID[f"{TYPE_SEGMENT[type_]}/{slugify(entity_key(name, type_))}"])


class Resolver:
    """Maps (name, type) to :class:`Entity`, remembering every entity it has seen.

    Seed it with the entities already in a store (:meth:`add_known`) so that a
    new article's "Alibaba" joins the stored "Alibaba Group".
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], Entity] = {}
        self._by_iri: dict[str, Entity] = {}

    def __len__(self) -> int:
        return len(self._by_iri)

    def add_known(self, iri: str, label: str, type_: str, aliases: set[str] | None = None) -> Entity:
        """Register an entity that already has an IRI (from the store)."""
        ent = self._by_iri.get(iri)
        if ent is None:
            ent = self._by_iri[iri] = Entity(iri, label, type_, set())
        for name in {label, *(aliases or ())}:
            ent.aliases.add(name)
            self._by_key.setdefault((type_, entity_key(name, type_)), ent)
        ent.aliases.discard(ent.label)
        return ent

    def resolve(self, name: str, type_: str, aliases: list[str] | set[str] = ()) -> Entity:
        """The entity a name (with its in-article aliases) refers to; created when new."""
        for candidate in (name, *aliases):
            ent = self._by_key.get((type_, entity_key(candidate, type_)))
            if ent is not None:
                break
        else:
            ent = self.add_known(entity_iri(name, type_), name, type_)
        for n in (name, *aliases):
            if n != ent.label:
                ent.aliases.add(n)
            self._by_key.setdefault((type_, entity_key(n, type_)), ent)
        return ent

    def entities(self) -> list[Entity]:
        return list(self._by_iri.values())
