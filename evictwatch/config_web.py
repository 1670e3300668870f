"""The `web:` section of config.yaml: the partner workspace (`evictwatch serve`)."""

from __future__ import annotations

from pydantic import Field, field_validator

from evictwatch.config_checks import Section


class WebConfig(Section):
    """How the workspace is reached and who may sign in to it."""

    base_url: str = Field(default="http://127.0.0.1:8080", description="the address people open (https behind "
                                                                       "a reverse proxy)")
    secure_cookies: bool | None = Field(default=None, description="cookies only over HTTPS; default: on when "
                                                                  "base_url is https")
    require_2fa: bool = Field(default=False, description="legal-aid users (who see names) need an authenticator "
                                                         "app's code to sign in")
    audit_days: int = Field(default=365, ge=1, le=3650, description="days the audit trail of views is kept")
    api_per_minute: int = Field(default=120, ge=1, le=100_000, description="requests one API token may make a minute")

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base_url starts with http:// or https://, got {value!r}")
        return value.rstrip("/")

    @property
    def cookies_secure(self) -> bool:
        return self.secure_cookies if self.secure_cookies is not None else self.base_url.startswith("https://")
