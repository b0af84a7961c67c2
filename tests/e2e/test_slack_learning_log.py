"""The learning log on Slack, end to end: the real `revans serve` against the fake Slack.

`/set log TEXT` is answered privately (ephemeral) and never posted in the channel;
`/set log export` delivers the member's log as a Markdown file into their DM through
Slack's external upload flow (files.getUploadURLExternal, the bytes to the upload
URL, files.completeUploadExternal), with a private note in the channel.
"""

from __future__ import annotations

from tests.confidential import PLANTED
from tests.e2e.slack_client import FAC, MEMBERS, RevansServer, SlackSender, ephemerals_to
from tests.fakes.slack_web_api import FakeSlack

ANN = MEMBERS[0]


async def test_log_export_delivers_a_markdown_file_through_the_external_upload_flow(
    slack: tuple[FakeSlack, RevansServer, SlackSender],
) -> None:
    fake, _, send = slack
    assert (await send.command(FAC, "create Ward"))[0] == 200
    await fake.wait_for(lambda: fake.ok_calls("chat.postMessage"), what="the set")
    assert (await send.command(ANN, "join"))[0] == 200
    assert (await send.command(ANN, "agree"))[0] == 200
    await fake.wait_for(lambda: len(ephemerals_to(fake, ANN)) >= 2, what="agreed")

    assert (await send.command(ANN, f"log I rushed in {PLANTED}"))[0] == 200
    kept = await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, ANN) if "learning log" in e["text"]], what="kept"
    )
    assert PLANTED not in kept[0]["text"]

    assert (await send.command(ANN, "log export"))[0] == 200
    (shared,) = await fake.wait_for(lambda: fake.shared, what="the file shared")
    assert shared.channel_id == "D" + ANN[1:]  # her DM, opened with conversations.open
    assert shared.filename.startswith("learning-log-") and shared.filename.endswith(".md")
    markdown = shared.content.decode()
    assert markdown.startswith("# Learning log") and f"> I rushed in {PLANTED}" in markdown
    (issued,) = fake.ok_calls("files.getUploadURLExternal")
    assert issued.args["filename"] == shared.filename
    assert int(issued.args["length"]) == len(shared.content)
    await fake.wait_for(
        lambda: [e for e in ephemerals_to(fake, ANN) if "Only you have been sent it" in e["text"]],
        what="the note with the file",
    )
    # nothing of the log was said where others read it
    for call in fake.ok_calls("chat.postMessage"):
        assert PLANTED not in str(call.args.get("text")) and "rushed" not in str(call.args)
