"""Time-based one-time passwords (RFC 6238, HMAC-SHA-1, 6 digits, 30 s), the optional second
factor: any authenticator app that follows RFC 6238 can be used."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

STEP = 30
DIGITS = 6
ISSUER = "两新台账"


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode()


def counter_at(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP)


def code_at(secret: str, counter: int, digits: int = DIGITS) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def matching_counter(
    secret: str, code: str, after: int = 0, now: float | None = None
) -> int | None:
    """The time step (current ± 1) whose code this is, if later than ``after`` (no replay)."""
    code = "".join(code.split())
    current = counter_at(now)
    for counter in (current - 1, current, current + 1):
        if counter > after and hmac.compare_digest(code_at(secret, counter), code):
            return counter
    return None


def provisioning_uri(secret: str, username: str) -> str:
    label = quote(f"{ISSUER}:{username}")
    return f"otpauth://totp/{label}?" + urlencode({"secret": secret, "issuer": ISSUER})
