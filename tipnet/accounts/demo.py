"""Demo agencies and users of this node (fictional people; one shared demo password)."""

from django.conf import settings

from .actions import do_create_agency, do_create_user
from .models import Agency, User

# Public by design: printed by `tipnet demo` and in the README; demo nodes hold no real data.
DEMO_PASSWORD = "demo-Tashkent-2026"  # noqa: S105

AGENCIES = [
    ("UZ-GPO", "General Prosecutor's Office of the Republic of Uzbekistan", "UZ"),
    ("UZ-MVD", "Ministry of Internal Affairs of the Republic of Uzbekistan", "UZ"),
    ("UZ-NGO", "Istiqbol shelter (fictional NGO)", "UZ"),
]

# (user name, full name, agency, roles)
USERS = [
    ("investigator", "Dilshod Rakhimov (fictional)", "UZ-MVD", ["investigator"]),
    ("prosecutor", "Nodira Yusupova (fictional)", "UZ-GPO", ["prosecutor"]),
    ("central", "Bekzod Karimov (fictional)", "UZ-GPO", ["central_authority"]),
    ("caseworker", "Malika Tursunova (fictional)", "UZ-NGO", ["caseworker"]),
    ("analyst", "Aziz Hamidov (fictional)", "UZ-MVD", ["analyst"]),
    ("admin", "Sevara Olimova (fictional)", "UZ-GPO", ["node_admin"]),
]


def _directory_agency(node_id: str):
    try:
        from tipnet.directory.models import Agency as DirectoryAgency
    except ImportError:
        return None
    return DirectoryAgency.objects.filter(node_id=node_id).first()


def load() -> str:
    """Create the demo agencies and users that are missing; existing ones are left untouched."""
    created = 0
    for code, name, country in AGENCIES:
        if not Agency.objects.filter(code=code).exists():
            agency = do_create_agency(None, code, name, country)
            agency.directory_agency = _directory_agency(code)
            agency.save(update_fields=["directory_agency"])
            created += 1
    for username, full_name, code, roles in USERS:
        if not User.objects.filter(username=username).exists():
            agency = Agency.objects.get(code=code)
            do_create_user(None, username, DEMO_PASSWORD, agency, roles, full_name)
            created += 1
    return f"{created} agencies and users created" if created else "already loaded"


def print_logins(out) -> None:
    out.write(f"\nDemo node {settings.TIPNET_NODE_ID}: log in at http://{settings.TIPNET_BIND}/")
    out.write(f"Every demo user's password: {DEMO_PASSWORD}")
    for username, _full, code, roles in USERS:
        out.write(f"  {username:<13} {', '.join(roles):<18} {code}")
    out.write("The node administrator (admin) sets up a TOTP authenticator at first login.\n")
