"""The locust scenario of ``bench/bench_load.py`` (run by it; not a benchmark on its own).

Each simulated user signs in with one of the accounts the benchmark prepared (organizers
scoped to one province, and national administrators), then, with 1–5 s of think time
browses (``TINHGON_LOAD_WAIT=0``, the one-user baseline: every page as often, no pause):

* the unit tree (the national page, a province's children as the page expands them, a unit's page),
* the cadre search (a full name, a partial name, the multi-criteria search), within the account's scope,
* cadre profiles (ids drawn from the account's scope),
* an Excel export of one unit's cadres (the cadre list's export, a background job: only its
  start is timed — the answer is the redirect to the job's page; the worker beside the
  server prepares the file meanwhile).

The accounts, unit codes and cadre ids come from the JSON file named by
``TINHGON_LOAD_DATA``.
"""

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, constant, task

with open(os.environ["TINHGON_LOAD_DATA"]) as fh:
    DATA = json.load(fh)
ACCOUNTS = itertools.cycle(DATA["accounts"])
NAMES = ["nguyen thi lan", "tran van nam", "le thi hoa", "pham duc hung", "hoang minh tuan", "nguyen van hung",
         "vo thi mai", "dang quoc cuong", "bui thi thu", "do van long", "huynh ngoc anh", "ngo thi hang"]
PARTIAL = ["nguyen van", "le thi", "tran", "pham thi", "hoang", "nguyen thi"]
CRITERIA = "sex=F&age_under=40&education_min=5&political_theory_min=3&pool_title=Ph%C3%B3+Ch%E1%BB%A7+t%E1%BB%8Bch"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Clerk(HttpUser):
    wait_time = constant(0) if os.environ.get("TINHGON_LOAD_WAIT") == "0" else between(1, 5)

    def on_start(self):
        self.account = next(ACCOUNTS)
        page = self.client.get("/accounts/login/", name="sign-in page")
        token = CSRF.search(page.text).group(1)
        with self.client.post("/accounts/login/", name="sign in", allow_redirects=False, catch_response=True,
                              data={"username": self.account["username"], "password": DATA["password"],
                                    "csrfmiddlewaretoken": token}) as r:
            if r.status_code != 302:
                r.failure(f"sign-in answered {r.status_code}")

    def _get(self, url: str, name: str, expect: bytes = b"", status: int = 200):
        with self.client.get(url, name=name, catch_response=True, allow_redirects=status == 200) as r:
            if r.status_code != status:
                r.failure(f"{r.status_code}")
            elif status == 302 and "/jobs/" not in r.headers.get("Location", ""):
                r.failure("not a job")
            elif expect and expect not in r.content:
                r.failure("unexpected content")

    @task(3)
    def tree(self):
        self._get("/apparatus/", "tree: national page")

    @task(3)
    def tree_children(self):
        code = random.choice(self.account["provinces"])
        self._get(f"/apparatus/tree/{code}/children/", "tree: a province's children")

    @task(2)
    def unit_page(self):
        self._get(f"/apparatus/units/{random.choice(self.account['unit_ids'])}/", "unit page")

    @task(4)
    def search_name(self):
        self._get(f"/cadres/?q={random.choice(NAMES).replace(' ', '+')}", "cadres: full name")

    @task(2)
    def search_partial(self):
        self._get(f"/cadres/?q={random.choice(PARTIAL).replace(' ', '+')}", "cadres: partial name")

    @task(2)
    def search_criteria(self):
        self._get(f"/cadres/?{CRITERIA}", "cadres: multi-criteria")

    @task(5)
    def profile(self):
        self._get(f"/cadres/{random.choice(self.account['cadre_ids'])}/", "cadre profile")

    @task(1)
    def export(self):
        code = random.choice(self.account["export_units"])
        self._get(f"/cadres/?within={code}&export=xlsx", "export: start (xlsx job)", status=302)


if os.environ.get("TINHGON_LOAD_WAIT") == "0":  # the baseline: each page equally often
    Clerk.tasks = list(dict.fromkeys(Clerk.tasks))  # locust repeats a task once per unit of weight
