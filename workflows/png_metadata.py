"""Remove the text chunks ComfyUI writes into every PNG it saves.

SaveImage embeds the whole API graph (`prompt`, with the user's prompt text) and often the UI
`workflow` as tEXt chunks. The picture goes into OpenWebUI's file store and may be shared, so by
default they are dropped. Pure chunk filtering: the pixels are not decoded or re-encoded.
"""
import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt"}


class NotAPng(ValueError):
    pass


def text_chunks(data: bytes) -> dict[str, bytes]:
    """Keyword -> raw value of each tEXt chunk (for tests and logs)."""
    found: dict[str, bytes] = {}
    for kind, body in _chunks(data):
        if kind == b"tEXt" and b"\x00" in body:
            key, value = body.split(b"\x00", 1)
            found[key.decode("latin-1")] = value
        elif kind in (b"zTXt", b"iTXt") and b"\x00" in body:
            found[body.split(b"\x00", 1)[0].decode("latin-1")] = b""
    return found


def strip_text_chunks(data: bytes) -> bytes:
    """The same PNG without tEXt/zTXt/iTXt chunks. Raises NotAPng for anything that is not a well-formed PNG."""
    kept = [PNG_SIGNATURE]
    for kind, _body, start, end in _chunk_spans(data):
        if kind not in TEXT_CHUNKS:
            kept.append(data[start:end])
    return b"".join(kept)  # anything after IEND is dropped too: decoders ignore it, other tools hide data there


def _chunks(data: bytes):
    for kind, body, _start, _end in _chunk_spans(data):
        yield kind, body


def _chunk_spans(data: bytes):
    if not data.startswith(PNG_SIGNATURE):
        raise NotAPng("no PNG signature")
    offset = len(PNG_SIGNATURE)
    while offset < len(data):
        if offset + 12 > len(data):
            raise NotAPng(f"truncated chunk header at byte {offset}")
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        end = offset + 12 + length
        if end > len(data):
            raise NotAPng(f"chunk {kind!r} runs past the end of the file")
        yield kind, data[offset + 8:offset + 8 + length], offset, end
        offset = end
        if kind == b"IEND":
            return
    raise NotAPng("no IEND chunk")
