"""Who may see what in accounts."""

from django.http import Http404

from .models import Agency, ApiToken, User


def access_own_token_by_id(user, token_id: int) -> ApiToken:
    """Return one of `user`'s own API tokens, or raise Http404 (also for other users' tokens)."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    return token


def access_users(user):
    """Users of this node, for node administrators only; anyone else gets Http404."""
    if not (user.is_authenticated and user.has_role("node_admin")):
        raise Http404
    return User.objects.select_related("agency").prefetch_related("roles")


def access_user_by_id(user, user_id: int) -> User:
    """One user of this node, for node administrators only; Http404 otherwise."""
    found = access_users(user).filter(pk=user_id).first()
    if found is None:
        raise Http404
    return found


def access_agencies(user):
    """This node's agencies, for node administrators only; Http404 otherwise."""
    if not (user.is_authenticated and user.has_role("node_admin")):
        raise Http404
    return Agency.objects.all()
