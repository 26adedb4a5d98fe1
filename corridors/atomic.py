"""The one atomic writer: a set of files is written together or not at all.

Every output of the package (``geo/``, maps, reports) goes through :func:`staged` or
:func:`write_together`. Files are first written to a staging folder beside their target; only
when every one is complete are they moved into place, and if a move fails the files already
replaced are restored. A target that cannot be written raises :class:`~corridors.errors.
OutputError` naming the path and the fix, before anything is replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from corridors.errors import OutputError

__all__ = ["check_writable", "staged", "write_together"]


def _fix_for(error: OSError) -> str:
    if error.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        return "choose a folder you can write to, or change its permissions"
    if error.errno == errno.ENOSPC:
        return "free some disk space, or write elsewhere"
    if error.errno in {errno.ENOTDIR, errno.EEXIST}:
        return "a file stands where a folder is needed; choose another path"
    return "choose another output path"


def _output_error(path: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    return OutputError(f"cannot write {path}: {reason}. Fix: {_fix_for(error)}", path=str(path))


def check_writable(targets: Sequence[Path]) -> None:
    """Check that every target can be written, before any work is done.

    Parameters
    ----------
    targets
        Files to be written.

    Raises
    ------
    OutputError
        When a target is an existing folder, or its folder cannot be created or written.
        Nothing is created: folders are made only when the files are written.
    """
    for target in targets:
        if target.is_dir():
            message = (
                f"cannot write {target}: it is a folder. Fix: give a file name, or remove the "
                "folder"
            )
            raise OutputError(message, path=str(target))
        existing = target.parent
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            raise _output_error(existing, OSError(errno.ENOTDIR, "not a folder"))
        if not os.access(existing, os.W_OK | os.X_OK):
            raise _output_error(existing, OSError(errno.EACCES, "permission denied"))


@contextlib.contextmanager
def staged(targets: Sequence[Path]) -> Iterator[dict[Path, Path]]:
    """Stage files and move them into place together when the block ends without error.

    Parameters
    ----------
    targets
        The files to write.

    Yields
    ------
    dict
        Target to the temporary path to write it at.

    Raises
    ------
    OutputError
        When a target cannot be written; nothing is replaced then.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with staged([folder / "a.txt", folder / "b.txt"]) as paths:
    ...     for target, temporary in paths.items():
    ...         _ = temporary.write_text(target.name)
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt']
    """
    paths = [Path(t) for t in targets]
    check_writable(paths)
    with contextlib.ExitStack() as stack:
        staging: dict[Path, Path] = {}
        folders: dict[Path, Path] = {}
        for target in paths:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise _output_error(target.parent, error) from None
            parent = target.parent.resolve()
            if parent not in folders:
                try:
                    folder = stack.enter_context(
                        tempfile.TemporaryDirectory(dir=parent, prefix=".corridors-")
                    )
                except OSError as error:
                    raise _output_error(parent, error) from None
                folders[parent] = Path(folder)
            staging[target] = folders[parent] / target.name
        yield staging
        _move_all(staging, folders)


def _move_all(staging: Mapping[Path, Path], folders: Mapping[Path, Path]) -> None:
    """Move staged files into place; on failure restore what was replaced."""
    backups: list[tuple[Path, Path | None]] = []
    try:
        for target, temporary in staging.items():
            if not temporary.exists():
                message = f"{target} was not written. Fix: report this as a bug"
                raise OutputError(message, path=str(target))
            backup: Path | None = None
            if target.exists():
                backup = folders[target.parent.resolve()] / f".old-{target.name}"
                target.replace(backup)
            backups.append((target, backup))
            temporary.chmod(0o644)
            temporary.replace(target)
    except OSError as error:
        for target, backup in reversed(backups):
            with contextlib.suppress(OSError):
                if backup is not None:
                    backup.replace(target)
                else:
                    target.unlink(missing_ok=True)
        if isinstance(error, OutputError):
            raise
        raise _output_error(target, error) from None


def write_together(contents: Mapping[Path, str | bytes]) -> list[Path]:
    """Write texts (or bytes) to their paths, all together or none.

    Parameters
    ----------
    contents
        Path to content; text is written as UTF-8.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order given.

    Raises
    ------
    OutputError
        When a path cannot be written; no file is replaced then.
    """
    targets = [Path(p) for p in contents]
    with staged(targets) as paths:
        for target, content in zip(targets, contents.values(), strict=True):
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                paths[target].write_bytes(data)
            except OSError as error:
                raise _output_error(target, error) from None
    return targets
