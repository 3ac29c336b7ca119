from ninja import Router, Schema

router = Router()


class MeOut(Schema):
    username: str
    full_name: str
    agency: str | None
    roles: list[str]


def me_payload(user) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "agency": user.agency.code if user.agency else None,
        "roles": sorted(user.role_codes()),
    }


@router.get("/me", response=MeOut, summary="The user the token belongs to")
def me(request):
    return me_payload(request.auth)
