"""Reading a speech: from a file's bytes to a :class:`~analysis_utils.speech.Speech`.

- ``decode``: bytes to text (encodings, byte-order marks);
- ``chinese``: whether decoded text reads as Chinese (not Japanese, Korean or mojibake);
- ``word``: the text of a .docx (content controls, breaks, tables, text boxes; size limits);
- ``clean``: normalisation, and the lines that are not the speech (with their reasons);
- ``metadata``: title, subtitle, date, place, speaker, salutation;
- ``placeholders``: redaction marks (×××, XX, ○○);
- ``files``: which files are speeches, a speech's id, reading a regular file within a size limit;
- ``load``: ``load_speech`` and ``speech_from_text``, which put these together.

Example:
    >>> from analysis_utils.config import SEED_SPEECH
    >>> load_speech(SEED_SPEECH).meta.title
    '在党建工作会议上的讲话'
"""
from .chinese import chinese_problem
from .clean import classify_lines, normalize_text, split_non_speech
from .decode import decode_bytes
from .files import DOCX_SUFFIXES, SPEECH_SUFFIXES, TEXT_SUFFIXES, is_speech_file, read_file, speech_files, speech_id
from .load import load_speech, speech_from_text
from .metadata import extract_metadata
from .placeholders import PLACEHOLDER_RE, find_placeholders
from .word import read_docx

__all__ = [
    "decode_bytes", "read_docx", "chinese_problem", "read_file",
    "normalize_text", "classify_lines", "split_non_speech",
    "extract_metadata",
    "PLACEHOLDER_RE", "find_placeholders",
    "TEXT_SUFFIXES", "DOCX_SUFFIXES", "SPEECH_SUFFIXES", "is_speech_file", "speech_files", "speech_id",
    "load_speech", "speech_from_text",
]
