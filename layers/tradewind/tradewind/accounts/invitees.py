"""The invited person's Cognito user: created when an invitation goes to an email the pool lacks.

The pool has no self sign-up (admins invite), so an invitation to a new email creates the user with
``AdminCreateUser``: Cognito emails the pool's invitation message (a temporary password), and on
first sign-in the person chooses a password (``NEW_PASSWORD_REQUIRED``), then sees the invitation
and accepts it. An existing user is left as is: they find the invitation in the app.

Locally (stage ``local``, moto) no mail leaves the machine: the API chooses the temporary password
and logs it, so a tester can sign in (``make run``'s output; never in an API answer).
"""

from __future__ import annotations

import logging
import secrets

from tradewind.aws import client
from tradewind.errors import FieldProblem, InvalidInput
from tradewind.settings import get_settings

logger = logging.getLogger(__name__)

NEVER_SIGNED_IN = "FORCE_CHANGE_PASSWORD"


def _pool() -> str:
    return get_settings().cognito_user_pool_id


def _status(email: str) -> str | None:
    """The user's status in the pool, None if there is no such user."""
    cognito = client("cognito-idp")
    try:
        return str(cognito.admin_get_user(UserPoolId=_pool(), Username=email)["UserStatus"])
    except cognito.exceptions.UserNotFoundException:
        return None


def _temporary_password() -> str:
    """Meets the pool's policy (12+, upper, lower, digit, symbol)."""
    return f"Tw-{secrets.token_urlsafe(12)}-7a"


def ensure_user(email: str) -> bool:
    """Create ``email``'s user if the pool has none (Cognito sends the invitation mail); True if created.

    Without a pool (API keys only) nothing is created."""
    if not _pool() or _status(email) is not None:
        return False
    local = get_settings().stage == "local"
    extra = {"TemporaryPassword": _temporary_password()} if local else {}
    cognito = client("cognito-idp")
    try:
        cognito.admin_create_user(
            UserPoolId=_pool(),
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
            DesiredDeliveryMediums=["EMAIL"],
            **extra,
        )
    except cognito.exceptions.InvalidParameterException as exc:  # an address Cognito will not take
        message = exc.response["Error"]["Message"]
        raise InvalidInput(message, [FieldProblem(["body", "email"], message)]) from None
    if local:
        logger.warning("local invitee created: %s temporary password: %s", email, extra["TemporaryPassword"])
    return True


def delete_if_never_signed_in(email: str) -> bool:
    """Delete the user created for an invitation while they have never signed in; True if deleted.

    Once they chose a password the account is theirs (other organisations may invite them), so it stays."""
    if not _pool() or _status(email) != NEVER_SIGNED_IN:
        return False
    client("cognito-idp").admin_delete_user(UserPoolId=_pool(), Username=email)
    return True
