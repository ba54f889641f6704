from __future__ import annotations

import pytest

from casualtyrec import kinds
from casualtyrec.errors import SchemaError, UnitMismatchError


def test_every_spec_category_has_one_entity() -> None:
    assert kinds.entity_of("people.killed") == "person"
    assert kinds.entity_of("drones.launched") == "drone"
    assert kinds.entity_of("dwellings.damaged") == "dwelling"
    assert len(kinds.categories()) >= 12


def test_people_and_drones_never_add() -> None:
    people = kinds.quantity(21, "people.killed")
    with pytest.raises(UnitMismatchError) as info:
        kinds.add(people, kinds.quantity(49, "drones.launched"))
    assert isinstance(info.value, TypeError)
    assert kinds.add(people, kinds.quantity(3, "people.injured")).magnitude == 24


def test_registered_category_is_its_own_dimension() -> None:
    kinds.register_category("tanks.destroyed", entity="tank")
    assert "tanks.destroyed" in kinds.categories()
    with pytest.raises(UnitMismatchError):
        kinds.check_same_entity("tanks.destroyed", "vehicles.destroyed")
    with pytest.raises(UnitMismatchError):
        kinds.add(kinds.quantity(1, "tanks.destroyed"), kinds.quantity(1, "people.killed"))


@pytest.mark.parametrize("name", ["Tanks", "tanks", "tanks.", ".x", "a.b.c", ""])
def test_malformed_category_names_raise(name: str) -> None:
    with pytest.raises(SchemaError):
        kinds.register_category(name, entity="tank")


def test_conflicting_entity_raises() -> None:
    with pytest.raises(SchemaError):
        kinds.register_category("people.evacuated", entity="household")
    with pytest.raises(SchemaError):
        kinds.register_category("ships.sunk")  # new prefix without entity


def test_unknown_category_names_the_vocabulary() -> None:
    with pytest.raises(SchemaError, match="register_category"):
        kinds.entity_of("people.vaporised")
