"""Locust users for bench/web/bench.py: each request is one of the paths of a plan file.

The plan (BENCH_WEB_PLAN, JSON) names the paths to cycle through, the session cookie to send
and, for the login scenario, the credentials. Users have no think time: 8 users are 8
connections kept busy, as in the issue's wrk runs.
"""

import itertools
import json
import os
import re

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["BENCH_WEB_PLAN"], encoding="utf-8").read())  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PageUser(FastHttpUser):
    wait_time = constant(0)
    connection_timeout = 30.0
    network_timeout = 30.0

    def on_start(self):
        offset = int(self.environment.runner.user_count if self.environment.runner else 0)
        paths = PLAN["paths"]
        self.paths = itertools.cycle(paths[offset % len(paths) :] + paths[: offset % len(paths)])
        self.headers = {"Cookie": PLAN["cookie"]} if PLAN.get("cookie") else {}
        self.headers.update(PLAN.get("headers") or {})

    @task
    def page(self):
        if PLAN.get("login"):
            self.login()
            return
        path = next(self.paths)
        with self.client.get(
            path, headers=self.headers, name=PLAN["name"], catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")

    def login(self):
        # The form's GET is not timed (name it apart); the POST is the measured login.
        self.client.cookiejar.clear()
        form = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(form.text or "")
        data = {
            "username": PLAN["login"]["username"],
            "password": PLAN["login"]["password"],
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        with self.client.post(
            "/accounts/login/",
            data=data,
            name=PLAN["name"],
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + "/accounts/login/"},
        ) as r:
            if r.status_code != 302:
                r.failure(f"status {r.status_code}")
