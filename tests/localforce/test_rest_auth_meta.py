"""OAuth flows, session expiry, versions, describe and /limits (reference §1, §2.4, §7)."""

from __future__ import annotations

import base64
import time
from typing import Any

import jwt
import pytest
import requests
from server_config import JWT_CLIENT, ROTATING_CLIENT, STATIC_REFRESH_TOKEN
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceExpiredSession

from localforce.testing import ControlClient, RunningServer

INVALID_SESSION = [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


def token(lf: RunningServer, **form: str) -> requests.Response:
    return lf.session().post(f"{lf.base_url}/services/oauth2/token", data=form)


def client_credentials(lf: RunningServer) -> dict[str, Any]:
    basic = base64.b64encode(b"localforce-client:localforce-secret").decode()
    response = lf.session().post(
        f"{lf.base_url}/services/oauth2/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def using(lf: RunningServer, access_token: str) -> Salesforce:
    return Salesforce(instance_url=lf.base_url, session_id=access_token, session=lf.session())


def test_client_credentials_response_shape(lf: RunningServer) -> None:
    body = client_credentials(lf)
    assert set(body) == {
        "access_token",
        "signature",
        "scope",
        "instance_url",
        "id",
        "token_type",
        "issued_at",
        "api_instance_url",
    }
    assert "expires_in" not in body and body["token_type"] == "Bearer"
    assert isinstance(body["issued_at"], str) and len(body["issued_at"]) == 13
    assert body["instance_url"] == lf.base_url
    assert using(lf, body["access_token"]).Account.create({"Name": "A"})["success"] is True


def test_token_errors(lf: RunningServer) -> None:
    assert token(
        lf, grant_type="client_credentials", client_id="nobody", client_secret="x"
    ).json() == {"error": "invalid_client_id", "error_description": "client identifier invalid"}
    wrong = token(
        lf, grant_type="client_credentials", client_id="localforce-client", client_secret="x"
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_client"
    password = token(
        lf,
        grant_type="password",
        client_id="localforce-client",
        client_secret="localforce-secret",
        username="integration@localforce.test",
        password="wrong",
    )
    assert password.json() == {
        "error": "invalid_grant",
        "error_description": "authentication failure",
    }
    assert token(lf, grant_type="magic").json()["error"] == "unsupported_grant_type"


def test_password_grant_accepts_password_plus_security_token(lf: RunningServer) -> None:
    response = token(
        lf,
        grant_type="password",
        client_id="localforce-client",
        client_secret="localforce-secret",
        username="integration@localforce.test",
        password="localforceSECURITYTOKEN",
    )
    assert response.status_code == 200 and response.json()["access_token"]


def test_refresh_token_grant_and_rotation(lf: RunningServer, control: ControlClient) -> None:
    plain = token(
        lf,
        grant_type="refresh_token",
        client_id="localforce-client",
        refresh_token=STATIC_REFRESH_TOKEN,
    )
    assert plain.status_code == 200 and "refresh_token" not in plain.json()
    rotating = control.mint_refresh_token(ROTATING_CLIENT)
    first = token(
        lf,
        grant_type="refresh_token",
        client_id=ROTATING_CLIENT,
        client_secret="rotating-secret",
        refresh_token=rotating,
    )
    assert first.status_code == 200 and first.json()["refresh_token"] != rotating
    reused = token(
        lf, grant_type="refresh_token", client_id=ROTATING_CLIENT, refresh_token=rotating
    )
    assert reused.json() == {
        "error": "invalid_grant",
        "error_description": "expired access/refresh token",
    }


def test_jwt_bearer_checks_signature_and_claims(lf: RunningServer, jwt_private_key: bytes) -> None:
    claims = {
        "iss": JWT_CLIENT,
        "sub": "integration@localforce.test",
        "aud": "https://login.salesforce.com",
        "exp": int(time.time()) + 180,
    }
    grant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    good = token(lf, grant_type=grant, assertion=jwt.encode(claims, jwt_private_key, "RS256"))
    assert good.status_code == 200 and "refresh_token" not in good.json()
    from cryptography.hazmat.primitives.asymmetric import rsa

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = token(lf, grant_type=grant, assertion=jwt.encode(claims, other_key, "RS256"))
    assert forged.json() == {"error": "invalid_grant", "error_description": "invalid assertion"}
    for bad, description in [
        ({"aud": "https://evil.example"}, "audience is invalid"),
        ({"exp": int(time.time()) - 10}, "expired authorization code"),
        ({"sub": "someone@else"}, "user hasn't approved this consumer"),
    ]:
        response = token(
            lf, grant_type=grant, assertion=jwt.encode({**claims, **bad}, jwt_private_key, "RS256")
        )
        assert response.json()["error_description"] == description


def test_expired_token_gives_the_invalid_session_array(
    lf: RunningServer, control: ControlClient
) -> None:
    access = client_credentials(lf)["access_token"]
    sf = using(lf, access)
    sf.Account.create({"Name": "before"})
    control.set_clock(advance_seconds=3601)
    with pytest.raises(SalesforceExpiredSession) as caught:
        sf.Account.create({"Name": "after"})
    assert caught.value.content == INVALID_SESSION
    control.set_clock(reset=True)


def test_revoked_token_and_userinfo(lf: RunningServer) -> None:
    access = client_credentials(lf)["access_token"]
    info = lf.session().get(
        f"{lf.base_url}/services/oauth2/userinfo", headers={"Authorization": f"Bearer {access}"}
    )
    assert (
        info.status_code == 200
        and info.json()["preferred_username"] == "integration@localforce.test"
    )
    assert (
        lf.session()
        .post(f"{lf.base_url}/services/oauth2/revoke", data={"token": access})
        .status_code
        == 200
    )
    response = lf.session().get(
        f"{lf.base_url}/services/data/v60.0/limits", headers={"Authorization": f"Bearer {access}"}
    )
    assert response.status_code == 401 and response.json() == INVALID_SESSION


def test_missing_authorization_header(lf: RunningServer) -> None:
    response = lf.session().get(f"{lf.base_url}/services/data/v60.0/sobjects")
    assert response.status_code == 401
    assert response.json() == [
        {"message": "INVALID_HEADER_TYPE", "errorCode": "INVALID_AUTH_HEADER"}
    ]


def test_versions_need_no_auth_and_retired_versions_are_gone(lf: RunningServer) -> None:
    versions = lf.session().get(f"{lf.base_url}/services/data/")
    assert versions.status_code == 200 and "Sforce-Limit-Info" not in versions.headers
    listed = {v["version"]: v["label"] for v in versions.json()}
    assert listed["31.0"] == "Summer '14" and listed["60.0"] == "Spring '24"
    assert listed["62.0"] == "Winter '25" and "30.0" not in listed
    headers = {"Authorization": f"Bearer {lf.token}"}
    assert (
        lf.session().get(f"{lf.base_url}/services/data/v30.0/sobjects", headers=headers).status_code
        == 410
    )
    assert (
        lf.session().get(f"{lf.base_url}/services/data/v99.0/sobjects", headers=headers).status_code
        == 404
    )


def test_global_and_object_describe(sf: Any) -> None:
    names = {o["name"]: o for o in sf.describe()["sobjects"]}
    assert {
        "Account",
        "Contact",
        "Lead",
        "Opportunity",
        "OpportunityContactRole",
        "Task",
        "Event",
        "ContentNote",
        "ContentDocumentLink",
        "User",
        "Organization",
    } <= set(names)
    assert names["Lead"]["keyPrefix"] == "00Q"
    fields = {f["name"]: f for f in sf.Lead.describe()["fields"]}
    assert (fields["LastName"]["length"], fields["LastName"]["nillable"]) == (80, False)
    assert fields["Status"]["defaultedOnCreate"] is True
    assert fields["LeadSource"]["picklistValues"][0]["value"] == "Web"
    ext = fields["Pushforce_Id__c"]
    assert (ext["externalId"], ext["unique"], ext["length"], ext["caseSensitive"]) == (
        True,
        True,
        64,
        False,
    )
    who = {f["name"]: f for f in sf.Task.describe()["fields"]}["WhoId"]
    assert who["referenceTo"] == ["Contact", "Lead"] and who["relationshipName"] == "Who"
    task_ext = {f["name"]: f for f in sf.Task.describe()["fields"]}["Pushforce_Id__c"]
    assert task_ext["externalId"] is False


def test_pushforce_id_fields_can_be_switched_off(tmp_path: Any) -> None:
    from localforce.testing import running_server

    with running_server(tmp_path, config={"pushforce_id_fields": False}) as lf:
        fields = {f["name"] for f in lf.simple_salesforce().Contact.describe()["fields"]}
    assert "Pushforce_Id__c" not in fields and "LastName" in fields


def test_limits_endpoint_and_header(sf: Any, control: ControlClient) -> None:
    control.set_limits(daily_api_requests=500, used=10)
    limits = sf.limits()
    assert limits["DailyApiRequests"] == {"Max": 500, "Remaining": 490}  # before this call
    assert sf.api_usage["api-usage"].used == 11 and sf.api_usage["api-usage"].total == 500


def test_control_api_needs_the_token(lf: RunningServer) -> None:
    response = lf.session().post(f"{lf.base_url}/__localforce__/reset")
    assert response.status_code == 401 and response.json() == INVALID_SESSION


def test_toml_config_is_read(tmp_path: Any) -> None:
    from localforce.config import load_config

    path = tmp_path / "localforce.toml"
    path.write_text(
        'daily_api_requests = 42\n[[duplicate_rules]]\nobject = "Contact"\n'
        'fields = ["Email"]\naction = "alert"\n'
    )
    config = load_config(path)
    assert config.daily_api_requests == 42
    assert config.duplicate_rules[0].action == "alert"


def test_bulk_rate_and_latency_come_from_the_config(tmp_path: Any) -> None:
    from localforce.testing import running_server

    config = {
        "bulk_rate": {"records_per_second": 500, "parallel_batches": 2},
        "latency": {"per_request_ms": 5, "per_record_ms": 1},
    }
    with running_server(tmp_path, config=config) as lf:
        rate = (
            lf.session()
            .get(
                f"{lf.base_url}/__localforce__/bulk/rate",
                headers={"Authorization": f"Bearer {lf.token}"},
            )
            .json()
        )
        limits = lf.control._call("GET", "/limits")
    assert (limits["per_request_ms"], limits["per_record_ms"]) == (5, 1)
    assert 500 in rate.values() and 2 in rate.values()
