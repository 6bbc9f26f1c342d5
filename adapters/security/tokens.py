"""JwtTokenIssuer: HS256 access and refresh tokens with pinned algorithm, type and audience."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

import jwt

from application.ports.auth import AccessClaims, RefreshClaims, TokenIssuer
from domain.errors import TokenExpiredError, TokenInvalidError
from domain.tokens import RefreshToken
from domain.users import User

ALGORITHMS = ["HS256"]  # security.md #10: hard-coded, the token's own `alg` is never trusted
ISSUER = "allucanget"
ACCESS_TYP, ACCESS_AUD = "at+jwt", "allucanget:api"
REFRESH_TYP, REFRESH_AUD = "rt+jwt", "allucanget:refresh"
REQUIRED = ["exp", "iat", "sub", "iss", "aud", "jti"]
LEEWAY_S = 0  # security.md #12 allows up to 60 s; one process issues and checks, so no skew
VERIFIED_CACHE = 4096  # tokens whose signature, type, issuer and audience were checked


class JwtTokenIssuer(TokenIssuer):
    def __init__(self, *, secret: str, access_ttl_s: int = 900) -> None:
        if len(secret.encode()) < 32:  # security.md #11
            raise ValueError("the signing key must be at least 32 bytes")
        self._secret = secret
        self.access_ttl_s = access_ttl_s
        # token -> claims of a token already verified (pyjwt's checks cost about 0.2 ms, 40 %
        # of an /auth/me): the result depends only on the token and the key, so it is kept;
        # the times are still checked against the clock on every use. Failures are not kept.
        self._verified: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()

    def issue_access(self, user: User, family_id: str, now: datetime) -> str:
        iat = int(now.timestamp())
        claims = {
            "iss": ISSUER,
            "aud": ACCESS_AUD,
            "sub": user.id,
            "role": user.role.value,
            "sid": family_id,
            "iat": iat,
            "exp": iat + self.access_ttl_s,
            "jti": f"{family_id}.{iat}.{now.microsecond}",
        }
        return jwt.encode(claims, self._secret, algorithm="HS256", headers={"typ": ACCESS_TYP})

    def read_access(self, token: str, now: datetime) -> AccessClaims:
        claims = self._decode(token, ACCESS_TYP, ACCESS_AUD, now)
        return AccessClaims(
            user_id=str(claims["sub"]),
            role=str(claims.get("role", "")),
            family_id=_optional_str(claims.get("sid")),
            jti=str(claims["jti"]),
        )

    def encode_refresh(self, token: RefreshToken) -> str:
        claims = {
            "iss": ISSUER,
            "aud": REFRESH_AUD,
            "sub": token.user_id,
            "jti": token.jti,
            "fam": token.family_id,
            "iat": int(token.issued_at.timestamp()),
            "exp": int(token.expires_at.timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm="HS256", headers={"typ": REFRESH_TYP})

    def read_refresh(self, token: str, now: datetime) -> RefreshClaims:
        claims = self._decode(token, REFRESH_TYP, REFRESH_AUD, now)
        family = claims.get("fam")
        if not isinstance(family, str) or not family:
            raise TokenInvalidError()
        return RefreshClaims(user_id=str(claims["sub"]), jti=str(claims["jti"]), family_id=family)

    def _decode(self, token: str, typ: str, audience: str, now: datetime) -> dict[str, Any]:
        key = (token, typ + audience)
        known = self._verified.get(key)
        if known is None:
            known = self._verify(token, typ, audience)
            self._verified[key] = known
            if len(self._verified) > VERIFIED_CACHE:
                self._verified.popitem(last=False)
        return _check_times(known, now)

    def _verify(self, token: str, typ: str, audience: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
            # Time is checked against our clock below, so tests can move it.
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=ALGORITHMS,
                audience=audience,
                issuer=ISSUER,
                options={"require": REQUIRED, "verify_exp": False, "verify_iat": False},
            )
        except jwt.PyJWTError as exc:
            raise TokenInvalidError() from exc
        if header.get("typ") != typ:  # security.md #13: no refresh/access swap
            raise TokenInvalidError()
        return claims


_NUMBER = (int, float)  # a tuple: `int | float` builds a union object at every check


def _check_times(claims: dict[str, Any], now: datetime) -> dict[str, Any]:
    exp, iat, nbf = claims["exp"], claims["iat"], claims.get("nbf", claims["iat"])
    if not (isinstance(exp, _NUMBER) and isinstance(iat, _NUMBER) and isinstance(nbf, _NUMBER)):
        raise TokenInvalidError()
    moment = now.timestamp()
    if iat > moment + LEEWAY_S or nbf > moment + LEEWAY_S:
        raise TokenInvalidError("The token is not valid yet.")
    if moment >= exp + LEEWAY_S:
        raise TokenExpiredError()
    return claims


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None
