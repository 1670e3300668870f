"""The JavaScript browser check ("Just a moment..."): passable by a real browser, not by httpx.

The page's script folds the User-Agent's character codes with two constants embedded in the
page into a cookie value and reloads; the server recomputes it from the request's User-Agent,
so the cookie only works with the UA of the browser that computed it.
"""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass

COOKIE = "ew_clearance"
MODULUS = 1_000_003


@dataclass(frozen=True)
class BrowserCheck:
    multiplier: int
    offset: int

    @classmethod
    def for_seed(cls, seed: int) -> BrowserCheck:
        rng = random.Random(f"va-gdc-sim:{seed}:browser-check")
        return cls(rng.randint(1000, 9999), rng.randint(10_000, 99_999))

    def expected(self, user_agent: str) -> str:
        # Same arithmetic as the page's script; every step stays far below 2**53, so JS doubles agree.
        data = user_agent.encode("utf-16-le")  # JS charCodeAt gives UTF-16 code units
        value = self.offset
        for code in struct.unpack(f"<{len(data) // 2}H", data):
            value = (value * 31 + code * self.multiplier) % MODULUS
        return str(value)

    def passes(self, cookie_value: str | None, user_agent: str) -> bool:
        return cookie_value is not None and cookie_value == self.expected(user_agent)

    def page(self) -> str:
        return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow">
</head>
<body>
<div class="main-wrapper" role="main">
  <h1>Checking your browser before accessing the site.</h1>
  <p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
  <noscript><p>Please enable JavaScript and cookies to continue.</p></noscript>
</div>
<script type="text/javascript">
(function () {{
  var a = {self.multiplier}, b = {self.offset}, m = {MODULUS};
  var ua = navigator.userAgent, h = b;
  for (var i = 0; i < ua.length; i++) {{
    h = (h * 31 + ua.charCodeAt(i) * a) % m;
  }}
  document.cookie = "{COOKIE}=" + h + "; path=/";
  location.reload();
}})();
</script>
</body>
</html>
"""
