"""The file consent flow's payloads: the card Revans sends, and the answers it accepts
(`adapters.teams.files`), against the shapes Teams documents."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.teams.files import (
    FILE_CONSENT,
    FILE_INFO,
    consent_answer_of,
    consent_card,
    file_info_card,
)

UPLOAD = {
    "name": "learning-log-2026-11-24.md",
    "uploadUrl": "https://contoso-my.sharepoint.example/upload/abc",
    "contentUrl": "https://contoso-my.sharepoint.example/learning-log.md",
    "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
    "fileType": "md",
}


def invoke(action: str, **value: Any) -> dict[str, Any]:
    return {
        "type": "invoke",
        "name": "fileConsent/invoke",
        "from": {"id": "29:1abc", "aadObjectId": "aad-amara"},
        "value": {"type": "fileUpload", "action": action, **value},
    }


def test_the_consent_card_carries_the_file_id_both_ways() -> None:
    card = consent_card("f1", "log.md", 120)
    (attachment,) = card["attachments"]
    assert attachment["contentType"] == FILE_CONSENT and attachment["name"] == "log.md"
    content = attachment["content"]
    assert content["sizeInBytes"] == 120
    assert content["acceptContext"] == content["declineContext"] == {"revans_file": "f1"}


def test_an_accept_and_a_decline_are_read() -> None:
    accepted = consent_answer_of(invoke("accept", context={"revans_file": "f1"}, uploadInfo=UPLOAD))
    assert accepted is not None
    assert (accepted.user_id, accepted.file_id, accepted.accepted) == (
        "teams:aad-amara",
        "f1",
        True,
    )
    assert accepted.upload == UPLOAD
    declined = consent_answer_of(invoke("decline", context={"revans_file": "f1"}))
    assert declined is not None and not declined.accepted


@pytest.mark.parametrize(
    "activity",
    [
        invoke("accept", context={"revans_file": "f1"}),  # no upload URL
        invoke("accept", context={}, uploadInfo=UPLOAD),  # not ours
        invoke("maybe", context={"revans_file": "f1"}),
        {**invoke("accept", context={"revans_file": "f1"}, uploadInfo=UPLOAD), "name": "other"},
        {**invoke("decline", context={"revans_file": "f1"}), "value": "junk"},
        {"type": "message", "text": "hi"},
    ],
)
def test_anything_else_is_not_a_consent_answer(activity: dict[str, Any]) -> None:
    assert consent_answer_of(activity) is None


def test_the_file_info_card_names_the_uploaded_file() -> None:
    (attachment,) = file_info_card(UPLOAD)["attachments"]
    assert attachment["contentType"] == FILE_INFO
    assert (attachment["contentUrl"], attachment["name"]) == (UPLOAD["contentUrl"], UPLOAD["name"])
    assert attachment["content"] == {"uniqueId": UPLOAD["uniqueId"], "fileType": "md"}
