"""One root error for everything Revans raises on purpose.

Hierarchy::

    RevansError
    ├── UserError            the speaker can fix it; answered privately, nothing stored changes
    │   ├── GrammarError     the words did not parse (carries a correct example)
    │   ├── NotAllowed       the speaker's role does not permit this here
    │   ├── NotFound         the thing named does not exist (here)
    │   └── Conflict         the change clashes with what is already stored
    ├── ConfigError          a setting is missing or inconsistent (raised at start-up)
    ├── UnknownWorkKind      stored due work of a kind this version does not know
    └── DeliveryError        a platform refused or failed to take a message
        └── RateLimited      the platform asked us to wait `retry_after` seconds
"""

from __future__ import annotations


class RevansError(Exception):
    """Root of every error Revans raises deliberately."""


class UserError(RevansError):
    """A mistake the speaker can correct. `example` shows a correct form."""

    def __init__(self, message: str, *, example: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.example = example


class GrammarError(UserError):
    """The words could not be read as a command."""


class NotAllowed(UserError):
    """The speaker may not do this (role, set membership or place)."""


class NotFound(UserError):
    """The named thing does not exist, or not here."""


class Conflict(UserError):
    """The change clashes with stored state (e.g. a set already exists here)."""


class ConfigError(RevansError):
    """A setting is missing or inconsistent; the message names the setting."""

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"{setting}: {problem}")
        self.setting = setting


class UnknownWorkKind(RevansError):
    """Stored due work of a kind this version does not declare (see `bot.catalogue.KINDS`)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"unknown due work kind {kind!r}")
        self.kind = kind


class DeliveryError(RevansError):
    """A platform failed to take a message."""


class FilesUnavailable(DeliveryError):
    """This platform cannot send files here (yet): the sender says so instead of retrying."""


class Undeliverable(DeliveryError):
    """The place cannot be reached any more (Revans was removed from it): the send is
    dropped, not retried."""


class RateLimited(DeliveryError):
    """The platform said to wait before trying again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:g}s")
        self.retry_after = retry_after
