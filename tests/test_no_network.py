"""The socket guard of conftest.py: tests reach loopback and nothing else."""

import socket

import pytest

from conftest import NetworkRefused

# A private address that answers nothing: without the guard a connection would time out.
UNREACHABLE = ("10.255.255.1", 80)


def test_a_connection_to_another_host_is_refused_naming_the_address():
    with socket.socket() as sock:
        sock.settimeout(1)
        with pytest.raises(NetworkRefused, match=r"10\.255\.255\.1"):
            sock.connect(UNREACHABLE)


def test_connect_ex_to_another_host_is_refused_too():
    with socket.socket() as sock:
        sock.settimeout(1)
        with pytest.raises(NetworkRefused, match=r"10\.255\.255\.1"):
            sock.connect_ex(UNREACHABLE)


def test_create_connection_refuses_a_host_name_before_resolving_it():
    with pytest.raises(NetworkRefused, match=r"example\.org"):
        socket.create_connection(("example.org", 80), timeout=1)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_connection_to_loopback_is_allowed(host):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection((host, port), timeout=5) as client:
            accepted, _ = server.accept()
            with accepted:
                client.sendall(b"ping")
                assert accepted.recv(4) == b"ping"


def test_a_connection_to_ipv6_loopback_is_allowed():
    if not socket.has_ipv6:
        pytest.skip("this machine has no IPv6")
    try:
        server = socket.socket(socket.AF_INET6)
        server.bind(("::1", 0))
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    with server:
        server.listen()
        with socket.socket(socket.AF_INET6) as client:
            assert client.connect_ex(("::1", server.getsockname()[1])) == 0


def test_a_unix_socket_is_allowed(tmp_path):
    path = str(tmp_path / "guard.sock")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen()
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(path)
