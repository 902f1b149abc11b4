"""analysis_utils: read Chinese political speeches with data.

The public API, flat::

    from analysis_utils import load_speech, Tokenizer
    speech = load_speech("seeds/party_building_conference_speech.txt")
    tokens = Tokenizer().tokens(speech)
"""
from .config import FIGURES_DIR, PROJECT_ROOT, SEED_SPEECH, SEEDS_DIR
from .errors import SpeechError
from .figures import figure_dir, save_fig, save_table
from .fonts import find_cjk_font, use_chinese_font
from .lexicon import load_lexicon, load_stopwords
from .loader import load_speech, speech_from_text
from .notebook import open_speech, setup_notebook
from .numslogans import find_number_slogans
from .speech import Metadata, Placeholder, RemovedSpan, Speech, count_han
from .terms import substring_counts
from .tokenize import Tokenizer

__all__ = [
    "FIGURES_DIR", "PROJECT_ROOT", "SEED_SPEECH", "SEEDS_DIR",
    "SpeechError",
    "figure_dir", "save_fig", "save_table",
    "find_cjk_font", "use_chinese_font",
    "load_lexicon", "load_stopwords",
    "load_speech", "speech_from_text",
    "open_speech", "setup_notebook",
    "find_number_slogans",
    "Metadata", "Placeholder", "RemovedSpan", "Speech", "count_han",
    "substring_counts",
    "Tokenizer",
]
