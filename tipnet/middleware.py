"""Session activity: the idle timeout without a session write on every request.

A session ends `SESSION_COOKIE_AGE` after it was last saved. Saving it on every request
(`SESSION_SAVE_EVERY_REQUEST`) keeps that an idle timeout but writes the session row on every
page view; this middleware marks a signed-in session modified only when its last save is at
least `TOUCH_SECONDS` old, so a session still ends after the same idle time, give or take a
minute, with one write a minute at most.

It also counts the user's writes (`MENU_STAMP`): any request that may change something (not
GET, HEAD or OPTIONS) bumps it, so the menu's cached waiting counts (`tipnet.navigation`) are
recomputed on the user's next page in every worker instead of after their time runs out.
"""

import time

TOUCH_SECONDS = 60
SEEN = "_tipnet_seen"
MENU_STAMP = "_tipnet_menu"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SessionActivityMiddleware:
    """After SessionMiddleware: refresh the session's expiry at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        # Before the view: a view that logs out leaves an empty session, which must stay empty.
        if session is not None and not session.is_empty() and session.keys():
            now = int(time.time())
            if now - session.get(SEEN, 0) >= TOUCH_SECONDS:
                session[SEEN] = now  # marks it modified: saved with a new expiry
            if request.method not in SAFE_METHODS:
                session[MENU_STAMP] = session.get(MENU_STAMP, 0) + 1
        return self.get_response(request)
