"""Secrets kept encrypted in the database (AES-256-GCM), so a copied database or backup does
not give them away: the key is derived from ``SECRET_KEY`` (HKDF-SHA-256), which lives only in
the environment. Changing ``SECRET_KEY`` therefore needs the sealed values re-set (for the TOTP
secrets: every user binds the authenticator again)."""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "sealed1:"
NONCE_BYTES = 12


def _cipher(purpose: str) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"liangxin {purpose}".encode()
    ).derive(settings.SECRET_KEY.encode())
    return AESGCM(key)


def seal(plain: str, purpose: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(purpose).encrypt(nonce, plain.encode(), purpose.encode())
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def unseal(stored: str, purpose: str) -> str:
    raw = base64.b64decode(stored.removeprefix(PREFIX))
    try:
        plain = _cipher(purpose).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
    except InvalidTag:
        raise ImproperlyConfigured(
            "数据库中加密保存的密钥无法解密：LIANGXIN_SECRET_KEY 与加密时不同"
            "（更换密钥后须由安全管理员重置各用户的动态口令）"
        ) from None
    return plain.decode()


class SealedCharField(models.CharField):
    """A CharField stored sealed; empty stays empty (“not set”). A value stored before sealing
    (no prefix) reads as it is and is sealed on its next save."""

    def __init__(self, *args, purpose: str, **kwargs):
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "purpose": self.purpose}

    def from_db_value(self, value, expression, connection):
        if value and value.startswith(PREFIX):
            return unseal(value, self.purpose)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return seal(value, self.purpose) if value else value
