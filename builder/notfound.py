"""The "page not found" page (404.html) that opens from a copied folder too.

MkDocs and Zensical write 404.html with root-absolute addresses ("/assets/..."), because a web
server sends it for a missing address at any depth. Opened from a folder (file://), "/" is the
disk's root: no styles, no scripts. Where the site's address is not set (site_url), its
addresses are made relative to the site's root, where 404.html is, and a web server's reader is
given a base of "/" by a line of script, so that the page is right at any depth there too.
"""

from __future__ import annotations

import re

_ROOT_ABSOLUTE = re.compile(r'\b(href|src)="/(?!/)')
_BASE = '<script>if(location.protocol!=="file:")document.write(\'<base href="/">\')</script>'


def relative_404(html: str) -> str:
    """404.html with its root-absolute addresses relative, and a base of "/" when served."""
    html = _ROOT_ABSOLUTE.sub(r'\1="', html)
    head = html.find("<head>")
    return html if head < 0 else html[: head + 6] + _BASE + html[head + 6 :]
