"""Attachment storage: one file per content hash under the instance folder, limits enforced."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from tickets.core.errors import ValidationFailed
from tickets.extensions import db
from tickets.helpdesk.models import Attachment

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file as any adapter receives it: a name, a declared type and a stream."""

    filename: str
    stream: BinaryIO
    content_type: str | None = None


def store(actor, ticket, upload: Upload, *, internal: bool, now, comment=None) -> Attachment:
    """Validate and write the file, then add its row to the caller's unit of work.

    The file lands on disk before the commit; if the commit fails the orphan file is harmless
    (it is content-addressed and a retry reuses it).
    """
    name = _safe_name(upload.filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = current_app.config["ATTACHMENT_EXTENSIONS"]
    if extension not in allowed:
        raise ValidationFailed(
            {
                "files": f"El tipo de archivo «.{extension}» no está permitido. "
                f"Se aceptan: {', '.join(sorted(allowed))}."
            }
        )
    sha256, size = _write(upload.stream, current_app.config["ATTACHMENT_MAX_BYTES"])
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    attachment = Attachment(
        ticket=ticket,
        comment=comment,
        uploaded_by=actor,
        filename=name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        is_internal=internal,
        created_at=now,
    )
    db.session.add(attachment)
    return attachment


def path_for(sha256: str) -> Path:
    """Where the bytes of a hash live: attachments/ab/cd/abcd…"""
    root = Path(current_app.config["ATTACHMENT_DIR"])
    return root / sha256[:2] / sha256[2:4] / sha256


def _safe_name(filename: str) -> str:
    base = os.path.basename((filename or "").replace("\\", "/")).strip()
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*')
    if not base:
        raise ValidationFailed({"files": "El archivo no tiene nombre."})
    return base[:255]


def _write(stream: BinaryIO, limit: int) -> tuple[str, int]:
    root = Path(current_app.config["ATTACHMENT_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=root, delete=False) as tmp:
        try:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ValidationFailed(
                        {"files": f"El archivo excede el límite de {limit // (1024 * 1024)} MB."}
                    )
                digest.update(chunk)
                tmp.write(chunk)
            if size == 0:
                raise ValidationFailed({"files": "El archivo está vacío."})
        except ValidationFailed:
            tmp.close()
            os.unlink(tmp.name)
            raise
    sha256 = digest.hexdigest()
    target = path_for(sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.unlink(tmp.name)
    else:
        os.replace(tmp.name, target)
    return sha256, size
