"""A cache of read modules, so that a rebuild reads only the modules that changed.

Reading Markdown is most of a build's time: a course of 200 modules takes about two seconds to
read and check, and a few tenths of a second to package. An instructional designer previewing
a change, or a CI pipeline rebuilding on every commit, changes one module at a time; the others
come from here.

An entry holds what reading one module gave: the module, the diagnostics it reported, the
assets it links to, and every file-system lookup it made (``ceforge.loader.Links``). It is
found by a hash of the module's path and text and of ceforge's own parser (its source files and
the versions of the libraries it reads with), so a changed module, a new ceforge or an upgraded
markdown-it-py never meets an old entry; the loader checks the recorded lookups again (an image
deleted since is reported as missing) before it uses an entry.

The cache lives in ``$CEFORGE_CACHE_DIR``, else ``$XDG_CACHE_HOME/ceforge``, else
``~/.cache/ceforge``, in a folder only its owner can read (one that another user owns or may
write to is not used); ``ceforge build --no-cache`` reads everything afresh. Entries are
pickles, written atomically; one that cannot be read is removed and the module read again. A
cache that cannot be written costs speed, never a build. The least recently used entries go
when the cache outgrows ``MAX_BYTES``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path

from ceforge.diagnostics import Diagnostic
from ceforge.model import Asset, Module

#: Libraries whose output the entries hold (the modules that say their version; the reader
#: imports them anyway, where importlib.metadata would cost a start-up of its own).
PARSER_LIBRARIES = ("markdown_it", "mdit_py_plugins", "yaml")
MAX_BYTES = 512 * 1024 * 1024
FOLDER = "modules"


@dataclass(frozen=True)
class Entry:
    """What reading one module gave."""

    module: Module | None
    diagnostics: tuple[Diagnostic, ...]
    assets: tuple[Asset, ...]
    #: (folder, path, what it resolved to) of each file-system lookup, in order
    probes: tuple[tuple[str, str, str | None], ...]


def default_folder() -> Path | None:
    """Where the cache lives; None when this user has no home folder to keep it in."""
    explicit = os.environ.get("CEFORGE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no HOME and no password entry (some containers)
            return None
    return Path(base) / "ceforge"


@cache
def parser_fingerprint() -> bytes:
    """A hash of what reads a module: ceforge's own modules and the libraries' versions."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for name in PARSER_LIBRARIES:
        library_version = getattr(import_module(name), "__version__", "unknown")
        digest.update(f"{name}=={library_version}".encode())
    return digest.digest()


class ModuleCache:
    """Entries under ``folder``; see the module's docstring."""

    def __init__(self, folder: Path) -> None:
        self.root = folder
        self.folder = folder / FOLDER
        self.hits = 0
        self.misses = 0
        self._written = False
        self._trusted: bool | None = None

    @classmethod
    def default(cls) -> ModuleCache | None:
        """The user's cache (``default_folder``); None where there is none."""
        folder = default_folder()
        return None if folder is None else cls(folder)

    def trusted(self) -> bool:
        """Whether only this user can have written the cache: an entry is a pickle, which can
        run code when read, so a cache folder that another user owns, or that others may
        write to, is neither read nor written. A folder not made yet is (ceforge makes it
        private)."""
        if self._trusted is None:
            try:
                stat = self.root.stat()
            except FileNotFoundError:
                return True
            except OSError:
                self._trusted = False
                return False
            mine = not hasattr(os, "getuid") or stat.st_uid == os.getuid()
            self._trusted = mine and not stat.st_mode & 0o022
        return self._trusted

    def _path(self, rel: str, text: str) -> Path:
        digest = hashlib.sha256(parser_fingerprint())
        digest.update(rel.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        key = digest.hexdigest()
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, rel: str, text: str) -> Entry | None:
        if not self.trusted():
            self.misses += 1
            return None
        path = self._path(rel, text)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            entry = pickle.loads(data)
            if not isinstance(entry, Entry):
                raise TypeError(type(entry).__name__)
        except Exception:  # a damaged or foreign file: read the module again
            path.unlink(missing_ok=True)
            self.misses += 1
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept when the cache is pruned
        self.hits += 1
        return entry

    def put(self, rel: str, text: str, data: bytes) -> None:
        """Keep ``data``, an ``Entry`` pickled, for the module ``rel`` with ``text``."""
        if not self.trusted():
            return
        path = self._path(rel, text)
        try:
            # Created private; a folder that already exists is left as its owner made it.
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return  # no cache this time; the build goes on
        self._written = True

    def prune(self, limit: int = MAX_BYTES) -> None:
        """Remove the least recently used entries until the cache holds at most ``limit``
        bytes (only after this cache wrote something)."""
        if not self._written:
            return
        try:
            files = [(p.stat(), p) for p in self.folder.glob("*/*.pickle")]
        except OSError:
            return
        total = sum(stat.st_size for stat, _ in files)
        for stat, path in sorted(files, key=lambda item: item[0].st_mtime):
            if total <= limit:
                break
            path.unlink(missing_ok=True)
            total -= stat.st_size
