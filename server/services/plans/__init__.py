"""Inspection plans: the sampling algorithm, its signals, plan creation and the plans pack section."""
