"""What the text files of a package name and call, found by a static scan that streams them.

Two questions are asked of the pages, scripts and styles of a package: which of its files does
a file name (:func:`named_files`: any run of characters between quotes, brackets, spaces and
the like that resolves, relative to the file or to a launch page, to a member), and does a
file contain a pattern (:func:`contains`). Both read members in chunks through the archive, so
a large script costs time, never memory.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from collections import deque
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

from ceforge.validate.archive import Archive

#: Files that can name other files: pages, scripts, styles, data and XML.
TEXT_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs", ".cjs", ".css", ".json", ".xml",
    ".xsd", ".dtd", ".svg", ".smil", ".vtt", ".m3u8", ".webmanifest",
})
PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
SCRIPT_SUFFIXES = frozenset({".js", ".mjs", ".cjs"})
_TOKEN = re.compile(r"[^\s\"'`<>()\[\]{}\\,;=|^*]{1,1024}")
_LONGEST_TOKEN = 1024


def suffix(name: str) -> str:
    return posixpath.splitext(name)[1].lower()


def _texts(archive: Archive, name: str) -> Iterator[str]:
    """The member as text, a chunk at a time; each chunk ends on a token boundary."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    carry = ""
    for chunk in archive.chunks(name):
        text = carry + decoder.decode(chunk).replace("\\/", "/")
        cut = max(text.rfind(c) for c in " \n\"'<>()")
        if cut < 0 and len(text) < _LONGEST_TOKEN:
            carry = text
            continue
        cut = cut if cut >= 0 else len(text)
        carry = text[cut:]
        yield text[:cut]
    yield carry + decoder.decode(b"", final=True)


def _resolve(
    token: str, folders: Iterable[str], members: Container[str], basenames: Container[str]
) -> Iterator[str]:
    """The members ``token`` names, relative to each of ``folders``; a module id of RequireJS
    and the like (``libraries/jquery.min``) names its script (``libraries/jquery.min.js``).
    ``basenames`` holds the last segment of every member (and of every script without its
    ``.js``): a token whose last segment is none of them names nothing, which spares the
    path arithmetic for the words of a page's text, nearly every token."""
    if ":" in token.split("/", 1)[0] or token.startswith("//"):
        return  # a URL (http:, data:, javascript:) or a network path
    path = token.split("#", 1)[0].split("?", 1)[0]
    if "%" in path:
        path = unquote(path)
    path = path.strip()
    if not path or path.startswith("/"):
        return
    last = path.rsplit("/", 1)[-1]
    if last not in basenames and last not in ("", ".", ".."):
        return
    for folder in folders:
        candidate = posixpath.join(folder, path) if folder else path
        if candidate not in members:
            candidate = posixpath.normpath(candidate)
        if candidate in members:
            yield candidate
        elif candidate + ".js" in members:
            yield candidate + ".js"


@dataclass
class Scanner:
    """Scans members of ``archive``; caches what each file names."""

    archive: Archive
    #: Folders of the launch pages: scripts name files relative to the page that runs them.
    launch_folders: set[str] = field(default_factory=set)
    _named: dict[str, set[str]] = field(default_factory=dict)
    _basenames: set[str] | None = None
    _contains: dict[tuple[str, re.Pattern[bytes], int], bool] = field(default_factory=dict)

    def basenames(self) -> set[str]:
        """The last path segment of every member, and of every script without ``.js``."""
        if self._basenames is None:
            names = {name.rsplit("/", 1)[-1] for name in self.archive.members}
            self._basenames = names | {n[:-3] for n in names if n.endswith(".js")}
        return self._basenames

    def named_files(self, name: str) -> set[str]:
        """The members that the text member ``name`` names (empty for other files)."""
        if name in self._named:
            return self._named[name]
        found: set[str] = set()
        if suffix(name) in TEXT_SUFFIXES:
            members = self.archive.members.keys()
            basenames = self.basenames()
            places = [posixpath.dirname(name), *sorted(self.launch_folders), ""]
            folders = list(dict.fromkeys(places))
            for text in _texts(self.archive, name):
                # The words of a page repeat: each distinct token of a chunk once.
                for token in set(_TOKEN.findall(text)):
                    if token.isalnum() and token not in basenames:
                        continue  # a plain word (what _resolve would find, without the call)
                    found.update(_resolve(token, folders, members, basenames))
        found.discard(name)
        self._named[name] = found
        return found

    def reachable(self, seeds: Iterable[str]) -> set[str]:
        """``seeds`` and every member they lead to, file after file."""
        seen = {seed for seed in seeds if seed in self.archive.members}
        queue = deque(sorted(seen))
        while queue:
            for named in sorted(self.named_files(queue.popleft())):
                if named not in seen:
                    seen.add(named)
                    queue.append(named)
        return seen

    def contains(self, name: str, pattern: re.Pattern[bytes], overlap: int = 64) -> bool:
        """Whether the member ``name`` holds a match of ``pattern`` (shorter than ``overlap``);
        each file is searched once per pattern (the SCOs of a package share their scripts)."""
        key = (name, pattern, overlap)
        if key not in self._contains:
            self._contains[key] = self._search(name, pattern, overlap)
        return self._contains[key]

    def _search(self, name: str, pattern: re.Pattern[bytes], overlap: int) -> bool:
        tail = b""
        chunks = self.archive.chunks(name)
        try:
            for chunk in chunks:
                window = tail + chunk
                if pattern.search(window):
                    return True
                tail = window[-overlap:]
        finally:
            chunks.close()
        return False
