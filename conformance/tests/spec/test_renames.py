"""The client's table of renamed fields says exactly what the snapshots declare: one fact, declared once in each
spec (`x-llamacloud-renamed-from`) and copied once into the client, which must not read spec files at run time.
A new snapshot that renames a field fails here, naming it, until the client knows."""

from __future__ import annotations

from llamacloud_conformance.spec import snapshots
from llamacloud_conformance.spec.document import RENAMED_FROM, Spec
from llamacloud_extract.renames import RENAMES


def _declared() -> dict[tuple[str, str], str]:
    """(schema, field of the client's spec) -> its name in another snapshot, for every rename a snapshot declares:
    the newer name where the other snapshot is newer, the older one where it is older (a client made from a later
    default snapshot must read older servers too)."""
    client = Spec.load()
    found: dict[tuple[str, str], str] = {}
    for name in snapshots.names():
        for schema_name, schema in Spec.load(name).document["components"]["schemas"].items():
            mine = client.document["components"]["schemas"].get(schema_name, {}).get("properties", {})
            for field, declared in schema.get("properties", {}).items():
                old = declared.get(RENAMED_FROM)
                if old is None or name == client.name:
                    continue
                if old in mine and field not in mine:
                    found[schema_name, old] = field
                elif field in mine and old not in mine:
                    found[schema_name, field] = old
    return found


def test_the_client_knows_every_rename_the_snapshots_declare() -> None:
    declared = _declared()
    assert declared, "the 2026-08-20 snapshot declares document_input_value -> file_input"
    assert dict(RENAMES) == declared, (
        f"llamacloud_extract.renames.RENAMES must hold exactly the renames the snapshots declare of the fields of "
        f"the client's ({snapshots.default_name()}): missing {sorted(declared.items() - RENAMES.items())}, "
        f"extra {sorted(RENAMES.items() - declared.items())}"
    )


def test_every_renamed_field_is_one_the_clients_spec_has() -> None:
    default = Spec.load()
    for schema, old in RENAMES:
        assert old in default.schema(schema).get("properties", {}), f"{schema}.{old} is not in the client's spec"
