"""Shared label fixtures."""

import label_samples
import pytest


@pytest.fixture
def longest_label():
    return label_samples.longest_label()
