"""Shared label fixtures."""

import pytest

import label_samples


@pytest.fixture
def longest_label():
    return label_samples.longest_label()
