"""The client's table of renamed fields says exactly what the snapshots declare: one fact, declared once in each
spec (`x-llamacloud-renamed-from`) and copied once into the client, which must not read spec files at run time.
A new snapshot that renames a field fails here, naming it, until the client knows."""

from __future__ import annotations

from llamacloud_conformance.spec import snapshots
from llamacloud_conformance.spec.document import RENAMED_FROM, Spec
from llamacloud_extract.renames import RENAMES


def _declared() -> dict[tuple[str, str], str]:
    """(schema, old name) -> new name, for every rename a snapshot newer than the client's declares."""
    default = snapshots.default_name()
    found: dict[tuple[str, str], str] = {}
    for name in snapshots.names():
        if name <= default:
            continue
        for schema_name, schema in Spec.load(name).document["components"]["schemas"].items():
            for field, declared in schema.get("properties", {}).items():
                if RENAMED_FROM in declared:
                    found[schema_name, declared[RENAMED_FROM]] = field
    return found


def test_the_client_knows_every_rename_the_snapshots_declare() -> None:
    declared = _declared()
    assert declared, "the 2026-08-20 snapshot declares document_input_value -> file_input"
    assert dict(RENAMES) == declared, (
        f"llamacloud_extract.renames.RENAMES must hold exactly the renames of the snapshots newer than the "
        f"client's ({snapshots.default_name()}): missing {sorted(declared.items() - RENAMES.items())}, "
        f"extra {sorted(RENAMES.items() - declared.items())}"
    )


def test_every_renamed_field_is_one_the_clients_spec_has() -> None:
    default = Spec.load()
    for schema, old in RENAMES:
        assert old in default.schema(schema).get("properties", {}), f"{schema}.{old} is not in the client's spec"
