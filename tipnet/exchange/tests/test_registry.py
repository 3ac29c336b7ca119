import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from nacl.signing import SigningKey

from tipnet.exchange import registry
from tipnet.exchange.registry import RegistryError

from .conftest import draft, entry, new_keys


def test_it_accepts_a_registry_signed_by_the_secretariat(network):
    current = registry.current()
    assert set(current.nodes) == {"UZ-GPO", "KG-GPO", "AE-MOJ"}
    assert current.central_authority("AE").id == "AE-MOJ"


def test_it_refuses_a_registry_with_one_changed_byte(network):
    path = network.tmp_path / "network.json"
    doc = json.loads(path.read_text())
    doc["nodes"][1]["base_url"] = "http://127.0.0.1:6666"
    path.write_text(json.dumps(doc))
    registry._cache.clear()
    with pytest.raises(RegistryError, match="does not verify"):
        registry.current()


def test_it_refuses_a_registry_signed_by_another_key(network):
    signed = registry.sign(draft([entry("UZ-GPO", network.me)]), SigningKey.generate())
    (network.tmp_path / "network.json").write_text(json.dumps(signed))
    registry._cache.clear()
    with pytest.raises(RegistryError, match="other than the secretariat"):
        registry.current()


def test_it_refuses_an_expired_registry(network):
    doc = draft([entry("UZ-GPO", network.me)])
    doc["valid_until"] = (timezone.now() - timedelta(minutes=1)).isoformat()
    network.publish(doc)
    with pytest.raises(RegistryError, match="expired"):
        registry.current()


def test_it_refuses_an_unsigned_registry(network):
    (network.tmp_path / "network.json").write_text(json.dumps(draft([entry("UZ-GPO", network.me)])))
    registry._cache.clear()
    with pytest.raises(RegistryError, match="not signed"):
        registry.current()


def test_it_refuses_a_node_id_that_is_not_like_a_country_and_agency():
    with pytest.raises(RegistryError, match="is not like"):
        registry.parse(draft([entry("uz gpo", new_keys())]))


def test_a_revoked_node_says_why_it_may_not_exchange(network):
    network.publish(**{"KG-GPO": {"revoked": True}})
    assert registry.current().node("KG-GPO").problem(timezone.now()) == "revoked"


def test_the_commands_sign_and_verify_a_registry(tmp_path, capsys):
    call_command("network", "keygen", str(tmp_path / "sec.key"))
    anchor = capsys.readouterr().out.strip()
    (tmp_path / "anchor.pub").write_text(anchor)
    (tmp_path / "draft.json").write_text(json.dumps(draft([entry("UZ-GPO", new_keys())])))
    call_command(
        "network",
        "sign",
        str(tmp_path / "draft.json"),
        key=str(tmp_path / "sec.key"),
        out=str(tmp_path / "net.json"),
    )
    call_command(
        "network", "verify", str(tmp_path / "net.json"), anchor=str(tmp_path / "anchor.pub")
    )
    assert "registry valid" in capsys.readouterr().out
    doc = json.loads((tmp_path / "net.json").read_text())
    doc["serial"] = 2
    (tmp_path / "net.json").write_text(json.dumps(doc))
    with pytest.raises(CommandError, match="does not verify"):
        call_command(
            "network", "verify", str(tmp_path / "net.json"), anchor=str(tmp_path / "anchor.pub")
        )


def test_node_init_prints_the_public_entry_and_keeps_private_keys_out_of_it(
    settings, tmp_path, capsys
):
    settings.TIPNET_EXCHANGE_KEY_DIR = str(tmp_path / "keys")
    call_command("node", "init", base_url="http://127.0.0.1:8001", central_authority=True)
    printed = json.loads(capsys.readouterr().out)
    private = (tmp_path / "keys" / "signing.key").read_text().strip()
    assert printed["base_url"] == "http://127.0.0.1:8001" and printed["central_authority"]
    assert private not in json.dumps(printed)
    registry.parse(draft([printed]))
