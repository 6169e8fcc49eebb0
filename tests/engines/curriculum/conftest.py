from pathlib import Path

import pytest

from cbec_talent.engines.curriculum import load_programme_document

PAPER000 = Path(__file__).resolve().parents[3] / "cbec_talent" / "reference" / "programmes" / "paper000.yaml"


@pytest.fixture(scope="session")
def paper000():
    return load_programme_document(PAPER000)


@pytest.fixture(scope="session")
def paper000_path():
    return PAPER000
