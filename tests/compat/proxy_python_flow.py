#!/usr/bin/python3
"""Twilio's Python helper library (Debian's python3-twilio, unchanged) against masked-comms'
Proxy API: a Proxy user's code pointed at us by a custom HTTP client that sends the
library's requests to our base URL instead of https://proxy.twilio.com (paging URLs
included, since ours are absolute on our origin). Every answer, success or error, is
validated against its response schema in Twilio's OpenAPI spec (twilio_proxy_v1.json) with
python3-jsonschema; errors against Twilio's error shape.

    proxy_python_flow.py BASE_URL USER PASSWORD SPEC NUMBER OTHER_NUMBER_SID ALICE BOB

Prints what it did; exits non-zero on the first failed expectation.
"""
import copy
import json
import re
import sys
import time
import uuid

import jsonschema
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

TWILIO_PROXY = "https://proxy.twilio.com"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message", "more_info", "status"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "more_info": {"type": "string"},
        "status": {"type": "integer"},
    },
}


def nullable_to_json_schema(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema: null joins the type (and the enum)."""
    if isinstance(node, dict):
        node = {k: nullable_to_json_schema(v) for k, v in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = node["enum"] + [None]
            if "$ref" in node:
                node = {"anyOf": [{"$ref": node["$ref"]}, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [nullable_to_json_schema(v) for v in node]
    return node


class Contract:
    """Checks each answer against the spec's schema for its path, method and status."""

    def __init__(self, spec_path):
        with open(spec_path) as f:
            self.spec = nullable_to_json_schema(json.load(f))
        self.routes = []
        for path, operations in self.spec["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"
            self.routes.append((re.compile(pattern), operations))
        self.checked = 0

    def check(self, method, url, status, body):
        path = re.sub(r"^https?://[^/]+", "", url).split("?")[0]
        if status >= 400:
            jsonschema.validate(json.loads(body), ERROR_SCHEMA)
            self.checked += 1
            return
        for pattern, operations in self.routes:
            if pattern.match(path) and method.lower() in operations:
                responses = operations[method.lower()]["responses"]
                if str(status) not in responses:
                    raise AssertionError(f"{method} {path} answered {status}, the spec has "
                                         f"{sorted(responses)}")
                content = responses[str(status)].get("content")
                if content:
                    schema = copy.deepcopy(content["application/json"]["schema"])
                    schema["components"] = self.spec["components"]
                    jsonschema.validate(json.loads(body), schema)
                elif body.strip():
                    raise AssertionError(f"{method} {path} {status} has a body: {body!r}")
                self.checked += 1
                return
        raise AssertionError(f"{method} {path} is not in the spec")


class OurServer(TwilioHttpClient):
    """Sends the library's Proxy requests to masked-comms, and checks every answer."""

    def __init__(self, base_url, contract):
        super().__init__()
        self.base_url = base_url
        self.contract = contract

    def request(self, method, url, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        if url.startswith(TWILIO_PROXY):
            url = self.base_url + url[len(TWILIO_PROXY):]
        response = super().request(method, url, params, data, headers, auth, timeout,
                                   allow_redirects)
        self.contract.check(method, url, response.status_code, response.text)
        return response


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_refused(call, status, code, what):
    try:
        call()
    except TwilioRestException as error:
        print(f"{what}: {error.status} {error.code}")
        expect(error.status == status and error.code == code,
               f"{what}: expected {status} {code}, got {error.status} {error.code}")
        return
    raise AssertionError(f"{what}: not refused")


def session_flow(proxy, service, first, second, alice, bob):
    """Sessions and participants, as a Proxy user's code drives them."""
    numbers = proxy.services(service.sid).phone_numbers
    numbers(first.sid).update(is_reserved=False)
    numbers(second.sid).update(is_reserved=False)
    pool = {first.phone_number: first.sid, second.phone_number: second.sid}
    sessions = proxy.services(service.sid).sessions

    session = sessions.create(unique_name="order 1234", ttl=600, mode="voice-and-message")
    print(f"session {session.sid} {session.unique_name!r} {session.status} ttl {session.ttl}")
    expect(session.sid.startswith("KC") and session.status == "open" and session.ttl == 600,
           "session fields")
    participants = sessions(session.sid).participants
    a = participants.create(identifier=alice, friendly_name="Alice")
    b = participants.create(identifier=bob, friendly_name="Bob")
    for p in (a, b):
        print(f"participant {p.sid} {p.friendly_name} reaches the other through "
              f"{p.proxy_identifier} ({p.proxy_identifier_sid})")
        expect(p.sid.startswith("KP") and pool.get(p.proxy_identifier) == p.proxy_identifier_sid,
               "a participant gets one of the service's numbers")
    expect((a.identifier, a.proxy_identifier) != (b.identifier, b.proxy_identifier),
           "pairs distinct")
    listed = participants.list()
    expect([p.sid for p in listed] == [a.sid, b.sid], f"participants listed: {listed}")
    expect_refused(lambda: participants.create(identifier="+14155550199"), 400, 80609,
                   "a third participant")
    expect_refused(lambda: participants.create(identifier="415-555"), 400, 80404,
                   "an identifier that is not E.164")

    by_name = sessions("order 1234").fetch()
    expect(by_name.sid == session.sid, "fetch by unique name")
    expect_refused(lambda: sessions.create(unique_name="order 1234"), 409, 80603,
                   "a unique name taken")

    expect_refused(
        lambda: sessions.create(unique_name="taken pair",
                                participants=[{"Identifier": bob,
                                               "ProxyIdentifier": b.proxy_identifier}]),
        400, 80604, "a proxy identifier the participant holds in another session")
    free = next(n for n in pool if n != b.proxy_identifier)
    other = sessions.create(
        unique_name="order 5678", mode="message-only",
        participants=[{"Identifier": alice},
                      {"Identifier": bob, "ProxyIdentifier": free}])
    others = sessions(other.sid).participants.list()
    print(f"second session {other.sid} with {len(others)} participants from its create")
    expect(len(others) == 2 and others[1].proxy_identifier == free,
           "participants given with the create; a requested proxy identifier honoured")
    expect(others[0].proxy_identifier != a.proxy_identifier,
           "alice's second session reaches bob through another number")

    listed = sessions.list(page_size=1)
    print(f"sessions listed a page of one at a time: {[s.unique_name for s in listed]}")
    expect([s.sid for s in listed] == [other.sid, session.sid], "both sessions, newest first")

    removed = sessions(other.sid).participants(others[0].sid).delete()
    gone = sessions(other.sid).participants(others[0].sid).fetch()
    print(f"participant removed (delete() -> {removed}), date_deleted {gone.date_deleted}")
    expect(gone.date_deleted is not None, "a soft delete")

    interactions = sessions(session.sid).interactions.list()
    expect(interactions == [], "no texts or calls yet: no interactions")
    to_alice = sessions(session.sid).participants(a.sid).message_interactions
    sent = to_alice.create(body="your driver is here")
    print(f"message interaction {sent.sid} to {sent.participant_sid}: "
          f"{sent.outbound_resource_sid} {sent.outbound_resource_status}")
    expect(sent.sid.startswith("KI") and sent.participant_sid == a.sid and
           sent.outbound_resource_sid.startswith("SM") and sent.type == "message",
           "a message interaction")
    expect([m.sid for m in to_alice.list()] == [sent.sid], "message interactions listed")
    expect(to_alice(sent.sid).fetch().data == '{"body":"your driver is here"}',
           "a message interaction fetched")
    expect([i.sid for i in sessions(session.sid).interactions.list()] == [sent.sid],
           "the message interaction is one of the session's")
    expect(sessions(session.sid).interactions(sent.sid).delete(), "interaction deleted")
    expect(sessions(session.sid).interactions.list() == [], "a deleted interaction is not listed")
    expect_refused(lambda: sessions(session.sid).interactions(sent.sid).fetch(), 404, 20404,
                   "a deleted interaction fetched")

    closed = sessions(session.sid).update(status="closed")
    print(f"closed: {closed.status} at {closed.date_ended}")
    expect(closed.status == "closed" and closed.date_ended is not None, "closed by update")
    expect_refused(lambda: sessions(session.sid).update(ttl=60), 400, 80607,
                   "a closed session updated")
    reopened = None
    for _ in range(100):  # until Twilio has let go of the closed conversation (503 before)
        try:
            reopened = sessions(session.sid).update(status="in-progress")
            break
        except TwilioRestException as error:
            expect(error.status == 503, f"re-open: {error.status} {error.code}")
            time.sleep(0.1)
    expect(reopened is not None and reopened.status == "open" and reopened.date_ended is None,
           "re-opened by update")
    again = sessions(session.sid).participants.list()
    print(f"re-opened: {reopened.status}, participants keep "
          f"{[p.proxy_identifier for p in again]}")
    expect([p.proxy_identifier for p in again] == [a.proxy_identifier, b.proxy_identifier],
           "the re-opened session's participants keep their numbers")
    sessions(session.sid).update(status="closed")
    expect(sessions(session.sid).delete(), "session deleted")
    expect_refused(lambda: sessions(session.sid).fetch(), 404, 20404, "fetch after delete")
    # The service is deleted with the other session still open: it is closed first.


def main():
    base_url, user, password, spec, number, other_sid, alice, bob = sys.argv[1:9]
    contract = Contract(spec)
    client = Client(user, password, http_client=OurServer(base_url, contract))
    proxy = client.proxy.v1

    service = proxy.services.create(unique_name=f"flow {uuid.uuid4().hex[:8]}",
                                    default_ttl=3600, geo_match_level="country",
                                    callback_url="https://app.example.com/proxy-callback")
    print(f"service {service.sid} {service.unique_name!r} ttl {service.default_ttl}")
    expect(service.sid.startswith("KS") and service.default_ttl == 3600, "service fields")

    first = proxy.services(service.sid).phone_numbers.create(phone_number=number)
    second = proxy.services(service.sid).phone_numbers.create(sid=other_sid, is_reserved=True)
    print(f"numbers {first.phone_number} ({first.sid}), {second.phone_number} "
          f"({second.sid}, reserved {second.is_reserved})")
    expect(first.phone_number == number and second.sid == other_sid and second.is_reserved,
           "numbers added")

    listed = proxy.services(service.sid).phone_numbers.list(page_size=1)
    print(f"listed {len(listed)} numbers a page of one at a time")
    expect(sorted(n.sid for n in listed) == sorted([first.sid, second.sid]),
           f"the paged list has both numbers: {[n.sid for n in listed]}")
    expect(all(n.in_use == 0 for n in listed), "in_use")

    fetched = proxy.services(service.sid).phone_numbers(first.sid).fetch()
    expect(fetched.phone_number == number, "fetch a number")
    updated = proxy.services(service.sid).phone_numbers(first.sid).update(is_reserved=True)
    expect(updated.is_reserved, "IsReserved updated")

    services = proxy.services.list(page_size=1)
    print(f"services listed a page of one at a time: {len(services)}")
    expect(service.sid in [s.sid for s in services] and len(services) >= 2,
           "the service and the default one")

    session_flow(proxy, service, first, second, alice, bob)

    renamed = proxy.services(service.sid).update(unique_name=service.unique_name + " renamed",
                                                 number_selection_behavior="avoid-sticky")
    expect(renamed.number_selection_behavior == "avoid-sticky", "service updated")

    try:
        proxy.services(service.sid).phone_numbers.create(phone_number="+19995550100")
        raise AssertionError("a number the account does not have was added")
    except TwilioRestException as error:
        print(f"a number not in the account: {error.status} {error.code}")
        expect(error.status == 400, "400 for a foreign number")

    expect(proxy.services(service.sid).phone_numbers(second.sid).delete(), "number removed")
    expect(proxy.services(service.sid).delete(), "service deleted")
    try:
        proxy.services(service.sid).fetch()
        raise AssertionError("a deleted service was fetched")
    except TwilioRestException as error:
        print(f"fetch after delete: {error.status} {error.code}")
        expect(error.status == 404 and error.code == 20404, "404 with code 20404")

    print(f"{contract.checked} answers matched the spec's schemas")


if __name__ == "__main__":
    main()
