"""What is counted: categories, their entities, and units that cannot be mixed (SPEC §1).

A category is ``<entity>.<outcome>`` (``people.killed``, ``drones.destroyed``). Each entity
is its own physical dimension on a pint registry private to casualtyrec, so adding a count of
drones to a count of people raises :class:`~casualtyrec.errors.UnitMismatchError` instead of
giving a number. Counts live in ``Int64`` columns; the registry is consulted wherever counts
are combined, and is built lazily on first use (pint is not imported with casualtyrec).
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from casualtyrec.errors import SchemaError, UnitMismatchError

if TYPE_CHECKING:
    import pint

    Registry = pint.UnitRegistry[Any]
    Quantity = pint.Quantity[Any]

__all__ = [
    "add",
    "categories",
    "check_same_entity",
    "entity_of",
    "quantity",
    "register_category",
    "register_subgroup",
    "registry",
    "subgroups",
]

#: Category prefix -> pint unit of the entity it counts (SPEC §1).
_ENTITIES: dict[str, str] = {
    "people": "person",
    "drones": "drone",
    "missiles": "missile",
    "buildings": "building",
    "dwellings": "dwelling",
    "houses": "house",
    "vehicles": "vehicle",
    "households": "household",
}
_CATEGORIES: dict[str, str] = {
    name: _ENTITIES[name.split(".")[0]]
    for name in (
        "people.killed",
        "people.injured",
        "people.missing",
        "people.displaced",
        "drones.launched",
        "drones.destroyed",
        "missiles.launched",
        "missiles.destroyed",
        "buildings.damaged",
        "dwellings.damaged",
        "houses.damaged",
        "vehicles.destroyed",
        # beyond SPEC §1, needed by extraction (displacement and destruction reports)
        "households.displaced",
        "buildings.destroyed",
        "dwellings.destroyed",
        "houses.destroyed",
        "vehicles.damaged",
    )
}
_SUBGROUPS: list[str] = [
    "all",
    "children",
    "women",
    "civilians",
    "military",
    "police",
    "rescuers",
    "medics",
    "journalists",
    "foreigners",
]
_NAME: Final = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_UNIT: Final = re.compile(r"^[a-z][a-z_]*$")
_LOCK = threading.Lock()


def categories() -> tuple[str, ...]:
    """Return every known category, sorted.

    Examples
    --------
    >>> from casualtyrec.kinds import categories
    >>> "people.killed" in categories(), "drones.launched" in categories()
    (True, True)
    """
    return tuple(sorted(_CATEGORIES))


def subgroups() -> tuple[str, ...]:
    """Return the known subgroups, ``all`` first (the vocabulary is open: any name is accepted).

    Examples
    --------
    >>> from casualtyrec.kinds import subgroups
    >>> subgroups()[0], "children" in subgroups()
    ('all', True)
    """
    return tuple(_SUBGROUPS)


def entity_of(category: str) -> str:
    """Return the entity (pint unit name) a category counts.

    Raises
    ------
    SchemaError
        If the category is not registered.

    Examples
    --------
    >>> from casualtyrec.kinds import entity_of
    >>> entity_of("drones.destroyed")
    'drone'
    """
    try:
        return _CATEGORIES[category]
    except KeyError:
        known = ", ".join(categories())
        raise SchemaError(
            f"unknown category {category!r}; expected one of {known}, "
            "or register it with casualtyrec.kinds.register_category()",
            column="category",
        ) from None


def register_category(category: str, *, entity: str | None = None) -> None:
    """Add a category to the vocabulary, for this process.

    Parameters
    ----------
    category : str
        ``<prefix>.<outcome>``, lower case: ``"tanks.destroyed"``.
    entity : str, optional
        The unit the category counts (``"tank"``). Defaults to the entity of a known prefix
        (``people`` -> ``person``); required for a new prefix. A new entity becomes a new
        dimension, so it never mixes with any other.

    Raises
    ------
    SchemaError
        If the name is malformed, the prefix is new and no entity is given, or the category
        already exists with another entity.

    Examples
    --------
    >>> from casualtyrec.kinds import entity_of, register_category
    >>> register_category("tanks.destroyed", entity="tank")
    >>> entity_of("tanks.destroyed")
    'tank'
    """
    if not isinstance(category, str) or not _NAME.match(category):
        raise SchemaError(
            f"category {category!r} must look like '<entity>.<outcome>' in lower case, "
            "such as 'tanks.destroyed'",
            column="category",
        )
    prefix = category.split(".", maxsplit=1)[0]
    unit = entity if entity is not None else _ENTITIES.get(prefix)
    if unit is None or not _UNIT.match(unit):
        raise SchemaError(
            f"category {category!r} needs entity= (a unit name such as 'tank'); got {entity!r}",
            column="category",
        )
    with _LOCK:
        known = _CATEGORIES.get(category)
        if known is not None and known != unit:
            raise SchemaError(
                f"category {category!r} already counts {known!r}, not {unit!r}",
                column="category",
            )
        if _ENTITIES.get(prefix, unit) != unit:
            raise SchemaError(
                f"prefix {prefix!r} already counts {_ENTITIES[prefix]!r}, not {unit!r}",
                column="category",
            )
        _ENTITIES.setdefault(prefix, unit)
        _CATEGORIES[category] = unit
        if registry.cache_info().currsize:
            _define(registry(), unit)


def register_subgroup(name: str) -> None:
    """Add a subgroup name to the known vocabulary (any name is accepted in claims anyway).

    Examples
    --------
    >>> from casualtyrec.kinds import register_subgroup, subgroups
    >>> register_subgroup("volunteers")
    >>> "volunteers" in subgroups()
    True
    """
    if not isinstance(name, str) or not name.strip():
        raise SchemaError(f"subgroup {name!r} must be a non-empty string", column="subgroup")
    with _LOCK:
        if name not in _SUBGROUPS:
            _SUBGROUPS.append(name)


def _define(reg: Registry, unit: str) -> None:
    if unit not in reg:
        reg.define(f"{unit} = [{unit}]")


@cache
def registry() -> Registry:
    """Return casualtyrec's own pint registry: one base dimension per entity, nothing else.

    Examples
    --------
    >>> from casualtyrec.kinds import registry
    >>> str(registry().Quantity(3, "person").dimensionality)
    '[person]'
    """
    import pint  # noqa: PLC0415 - lazy: pint costs ~0.1 s at import

    reg: Registry = pint.UnitRegistry(None)
    for unit in sorted(set(_CATEGORIES.values())):
        _define(reg, unit)
    return reg


def quantity(value: int, category: str) -> Quantity:
    """Return `value` as a pint quantity in the entity of `category`.

    Examples
    --------
    >>> from casualtyrec.kinds import quantity
    >>> quantity(21, "people.killed")
    <Quantity(21, 'person')>
    """
    return registry().Quantity(value, entity_of(category))


def add(left: Quantity, right: Quantity) -> Quantity:
    """Add two counts; counts of different entities raise :class:`UnitMismatchError`.

    Examples
    --------
    >>> from casualtyrec.kinds import add, quantity
    >>> add(quantity(3, "people.killed"), quantity(2, "people.killed"))
    <Quantity(5, 'person')>
    >>> add(quantity(3, "people.killed"), quantity(2, "drones.launched"))
    Traceback (most recent call last):
    ...
    casualtyrec.errors.UnitMismatchError: cannot add 'person' (person) and 'drone' (drone): ...
    """
    import pint  # noqa: PLC0415

    try:
        return left + right  # type: ignore[no-any-return]
    except pint.DimensionalityError as err:
        raise UnitMismatchError(str(left.units), str(right.units), "add") from err


def check_same_entity(left: str, right: str, operation: str = "combine") -> None:
    """Raise :class:`UnitMismatchError` unless two categories count the same entity.

    Examples
    --------
    >>> from casualtyrec.kinds import check_same_entity
    >>> check_same_entity("people.killed", "people.injured")
    >>> check_same_entity("people.killed", "drones.launched")
    Traceback (most recent call last):
    ...
    casualtyrec.errors.UnitMismatchError: cannot combine 'people.killed' (person) and ...
    """
    if entity_of(left) != entity_of(right):
        raise UnitMismatchError(left, right, operation)
